// Package quietlog switches a provider's logging off when Terraform would discard it.
//
// The plugin framework writes several trace lines per attribute and request to stderr, and
// Terraform (or OpenTofu) reads and decodes every one of them, then throws them away unless
// its provider log level is set. For a plan of many resources that costs both processes more
// CPU than the provider's own work.
package quietlog

import "strings"

// The variables Terraform and OpenTofu read to decide whether to keep a provider's logs.
const (
	envLog         = "TF_LOG"
	envLogProvider = "TF_LOG_PROVIDER"
)

// sdkVariables are the levels of the SDK's loggers (terraform-plugin-go and
// terraform-plugin-framework).
var sdkVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// providerVariable is the level of a provider's own logger (tflog), which terraform-plugin-go
// reads from TF_LOG_PROVIDER_<TYPE>, not from TF_LOG_PROVIDER: unset, it logs everything.
func providerVariable(providerType string) string {
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_"))
}

// Discarded reports whether Terraform throws away what the provider logs: it keeps provider
// logs only when TF_LOG_PROVIDER, or else TF_LOG, names a level other than OFF.
func Discarded(getenv func(string) string) bool {
	level := getenv(envLogProvider)
	if level == "" {
		level = getenv(envLog)
	}
	return level == "" || strings.EqualFold(level, "off")
}

// SwitchOff sets every logger of the process of the provider of type providerType (its
// address's last part, such as "luml") to OFF when Terraform would discard their output; it
// must run before the provider starts serving. It reports whether it did.
func SwitchOff(providerType string, getenv func(string) string, setenv func(string, string) error) (bool, error) {
	if !Discarded(getenv) {
		return false, nil
	}
	for _, name := range append(sdkVariables, providerVariable(providerType)) {
		if err := setenv(name, "OFF"); err != nil {
			return false, err
		}
	}
	return true, nil
}
