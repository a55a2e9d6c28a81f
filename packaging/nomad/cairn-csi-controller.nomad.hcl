# The controller half of Cairn's CSI plugin for Nomad: creates, deletes, grows and snapshots
# volumes through the LINSTOR REST API. Its plugin id is linstor-csi's, so volume specifications
# written for linstor-csi (and `cairn nomad volume-spec`) work unchanged.
#
#   nomad job run -var 'controllers=10.0.0.1:3370' cairn-csi-controller.nomad.hcl
#
# Nomad serves CSI plugins through a container (the plugin socket is in mount_dir), so the task
# runs the host's cairn binary in a small glibc image. Binding the binary in needs the docker
# plugin's `volumes { enabled = true }` on the Nomad clients.

variable "controllers" {
  type        = string
  description = "REST API of the Cairn controller(s): host[:port], comma-separated"
  default     = "localhost:3370"
}

variable "image" {
  type        = string
  description = "image the cairn binary runs in (glibc 2.28 or newer, libstdc++)"
  default     = "debian:bookworm-slim"
}

variable "cairn" {
  type        = string
  description = "path of the cairn binary on the Nomad clients"
  default     = "/usr/bin/cairn"
}

job "cairn-csi-controller" {
  type        = "service"
  datacenters = ["*"]

  group "controller" {
    # Nomad sends each controller call to one healthy instance; a second one only takes over.
    count = 1

    task "plugin" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        command      = "/usr/local/bin/cairn"
        args = [
          "csi", "--mode", "controller",
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
      }

      csi_plugin {
        id        = "linstor.csi.linbit.com"
        type      = "controller"
        mount_dir = "/csi"
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
