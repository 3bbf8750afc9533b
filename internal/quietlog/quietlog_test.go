package quietlog

import (
	"context"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

func TestDiscarded(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, true},
		{"TF_LOG", map[string]string{"TF_LOG": "DEBUG"}, false},
		{"TF_LOG as JSON", map[string]string{"TF_LOG": "json"}, false},
		{"TF_LOG off", map[string]string{"TF_LOG": "off"}, true},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "trace"}, false},
		{"TF_LOG_PROVIDER off overrides TF_LOG", map[string]string{"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "OFF"}, true},
		{"TF_LOG_PROVIDER overrides TF_LOG off", map[string]string{"TF_LOG": "OFF", "TF_LOG_PROVIDER": "INFO"}, false},
		{"only Terraform's core", map[string]string{"TF_LOG_CORE": "TRACE"}, true},
		{"only the provider's own variable, which Terraform does not read", map[string]string{"TF_LOG_PROVIDER_LUML": "TRACE"}, true},
		{"a log file but no level", map[string]string{"TF_LOG_PATH": "tf.log"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			if got := Discarded(getenv); got != tc.want {
				t.Errorf("Discarded = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSwitchOff(t *testing.T) {
	t.Run("discarded", func(t *testing.T) {
		set := map[string]string{}
		done, err := SwitchOff("luml", func(string) string { return "" }, func(k, v string) error { set[k] = v; return nil })
		if err != nil || !done {
			t.Fatalf("SwitchOff = %v, %v; want true, nil", done, err)
		}
		for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_LUML"} {
			if set[name] != "OFF" {
				t.Errorf("%s = %q, want OFF", name, set[name])
			}
		}
	})
	t.Run("kept", func(t *testing.T) {
		env := map[string]string{"TF_LOG": "DEBUG"}
		done, err := SwitchOff("luml", func(k string) string { return env[k] }, func(k, v string) error {
			t.Errorf("set %s=%s although Terraform keeps the logs", k, v)
			return nil
		})
		if err != nil || done {
			t.Fatalf("SwitchOff = %v, %v; want false, nil", done, err)
		}
	})
}

// TestSwitchOffSilencesTheProviderLogger builds the provider's root logger the way
// terraform-plugin-go's server does for a provider named luml-ai/luml, from
// TF_LOG_PROVIDER_LUML, and checks that tflog would drop debug lines only after SwitchOff.
func TestSwitchOffSilencesTheProviderLogger(t *testing.T) {
	providerLogger := func() context.Context {
		return tfsdklog.NewRootProviderLogger(context.Background(), tflog.WithLevelFromEnv("TF_LOG_PROVIDER", "luml"))
	}
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_LUML"} {
		t.Setenv(name, "")
	}
	if !tflog.IsDebug(providerLogger()) {
		t.Fatal("before SwitchOff the provider logger drops debug lines; the test cannot tell the switch works")
	}
	setenv := func(k, v string) error { t.Setenv(k, v); return nil }
	if _, err := SwitchOff("luml", os.Getenv, setenv); err != nil {
		t.Fatal(err)
	}
	if tflog.IsDebug(providerLogger()) {
		t.Error("after SwitchOff the provider logger still writes debug lines that Terraform discards")
	}
}
