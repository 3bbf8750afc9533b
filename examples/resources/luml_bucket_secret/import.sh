# By ID, in the provider's organization:
terraform import luml_bucket_secret.models 0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41

# By ID in another organization:
terraform import luml_bucket_secret.models 0199c3a1-0000-7000-8000-000000000001/0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41

# By exact bucket name, when only one secret of the organization has it (anything but a
# UUID in its canonical 8-4-4-4-12 form is taken as a bucket name):
terraform import luml_bucket_secret.models acme-models
