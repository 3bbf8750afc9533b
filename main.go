package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/luml-ai/terraform-provider-luml/internal/provider"
	"github.com/luml-ai/terraform-provider-luml/internal/quietlog"
)

// Generate the documentation in docs/ from the schemas, templates/ and examples/.
// Run by `make generate`, which first writes the provider's schema to .bin/ with OpenTofu
// (see scripts/providers-schema.sh).
//go:generate go tool tfplugindocs generate --provider-name luml --providers-schema .bin/providers-schema.json

// version is set by the release build (goreleaser) and `make build`:
//
//	go build -ldflags "-X main.version=1.2.3"
var version = "dev"

// providerType is the last part of the provider's address; it names the variable of the
// provider's own log level, TF_LOG_PROVIDER_LUML.
const providerType = "luml"

func main() {
	var debug bool

	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	if err := switchOffDiscardedLogs(debug, os.Getenv, os.Setenv); err != nil {
		log.Fatal(err.Error())
	}

	opts := providerserver.ServeOpts{
		Address:         "registry.terraform.io/luml-ai/" + providerType,
		Debug:           debug,
		ProtocolVersion: 6,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// switchOffDiscardedLogs turns the provider's logging off when Terraform would discard it:
// Terraform reads and decodes every line a provider logs, and the framework's trace lines cost
// more CPU than the provider's own work. A debug session shows the logs itself, so it keeps them.
func switchOffDiscardedLogs(debug bool, getenv func(string) string, setenv func(string, string) error) error {
	if debug {
		return nil
	}
	_, err := quietlog.SwitchOff(providerType, getenv, setenv)
	return err
}
