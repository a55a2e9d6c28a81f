// Kubernetes resource quantities ("300Mi", "1Gi", "500k", "1.5G", "1e3"), which linstor-csi
// accepts for nfsRecoveryVolumeSize and the qos.linbit.com/* limits. Like Quantity.Value(), the
// result is a whole number, rounded up.

const SUFFIX: Record<string, number> = {
  '': 1, 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
}

export function parseQuantity(text: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(text)
  if (!m) throw new Error(`'${text}' is not a quantity (examples: 300Mi, 1Gi, 500k, 1e6)`)
  const value = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : SUFFIX[m[3] ?? ''] as number)
  const rounded = Math.ceil(value)
  if (!Number.isSafeInteger(rounded)) throw new Error(`'${text}' is too large`)
  return rounded
}
