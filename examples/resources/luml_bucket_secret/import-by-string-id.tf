import {
  to = luml_bucket_secret.models
  id = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41" # or the exact bucket name
}
