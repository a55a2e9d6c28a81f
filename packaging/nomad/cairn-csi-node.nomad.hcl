# The node half of Cairn's CSI plugin for Nomad, on every client: makes a volume available on its
# node, formats and mounts it (or hands over the block device) for the tasks that claim it. Its
# plugin id is linstor-csi's, like the controller job's.
#
#   nomad job run -var 'controllers=10.0.0.1:3370' cairn-csi-node.nomad.hcl
#
# Each Nomad client's node name (node.unique.name, the host name by default) must be its LINSTOR
# node name, and the host must run a Cairn satellite. Mounting needs a privileged container
# (docker plugin: `allow_privileged = true`); binding the binary and /dev in needs
# `volumes { enabled = true }`. The image must carry util-linux and e2fsprogs (xfsprogs for xfs).

variable "controllers" {
  type        = string
  description = "REST API of the Cairn controller(s): host[:port], comma-separated"
  default     = "localhost:3370"
}

variable "image" {
  type        = string
  description = "image the cairn binary runs in (glibc 2.28 or newer, libstdc++, util-linux, e2fsprogs)"
  default     = "debian:bookworm-slim"
}

variable "cairn" {
  type        = string
  description = "path of the cairn binary on the Nomad clients"
  default     = "/usr/bin/cairn"
}

job "cairn-csi-node" {
  type        = "system"
  datacenters = ["*"]

  group "node" {
    task "plugin" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        privileged   = true
        command      = "/usr/local/bin/cairn"
        args = [
          "csi", "--mode", "node",
          "--endpoint", "unix:///csi/csi.sock",
          "--node", "${node.unique.name}",
          "--controllers", var.controllers,
        ]

        mount {
          type     = "bind"
          source   = var.cairn
          target   = "/usr/local/bin/cairn"
          readonly = true
        }

        # DRBD devices appear after the container starts; a privileged container's own /dev is a
        # copy taken at start.
        mount {
          type   = "bind"
          source = "/dev"
          target = "/dev"
        }
      }

      csi_plugin {
        id        = "linstor.csi.linbit.com"
        type      = "node"
        mount_dir = "/csi"
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
