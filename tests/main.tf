# The root module of the Terraform test suite: empty on purpose. Each run in the
# *.tftest.hcl files applies a module of its own: an example from ../examples, or a
# fixture from ./modules. `make tftest` and `make tftest-tofu` run the suite against
# the LUML API emulator (see CONTRIBUTING.md).
