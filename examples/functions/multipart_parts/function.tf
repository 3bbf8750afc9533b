# A module that calls a provider function must name the provider in required_providers.
terraform {
  required_providers {
    luml = {
      source  = "luml-ai/luml"
      version = "~> 0.1"
    }
  }
}

provider "luml" {}

# The part plan of a 3 GiB model, without asking LUML: 48 parts of 64 MiB.
locals {
  model_size = 3 * 1024 * 1024 * 1024
  plan       = provider::luml::multipart_parts(local.model_size)
}

output "parts_count" {
  value = local.plan.parts_count # 48
}

output "part_size" {
  value = local.plan.part_size # 67108864
}

# The byte range of each part, for an upload tool that reads the file in parallel.
output "ranges" {
  value = [for p in local.plan.parts : "${p.part_number}: ${p.start_byte}-${p.end_byte}"]
}
