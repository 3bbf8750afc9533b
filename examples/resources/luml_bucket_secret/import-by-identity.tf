import {
  to = luml_bucket_secret.models
  identity = {
    id              = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"
    organization_id = "0199c3a1-0000-7000-8000-000000000001" # optional
  }
}
