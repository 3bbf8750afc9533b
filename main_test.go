package main

import "testing"

func TestSwitchOffDiscardedLogs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		debug   bool
		env     map[string]string
		wantOff bool
	}{
		{name: "Terraform discards the logs", wantOff: true},
		{name: "TF_LOG asks for them", env: map[string]string{"TF_LOG": "TRACE"}},
		{name: "TF_LOG_PROVIDER asks for them", env: map[string]string{"TF_LOG_PROVIDER": "DEBUG"}},
		{name: "debug session", debug: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]string{}
			err := switchOffDiscardedLogs(tc.debug, func(k string) string { return tc.env[k] },
				func(k, v string) error { set[k] = v; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if off := set["TF_LOG_SDK"] == "OFF" && set["TF_LOG_PROVIDER_LUML"] == "OFF"; off != tc.wantOff {
				t.Errorf("logging switched off: %v, want %v (set: %v)", off, tc.wantOff, set)
			}
		})
	}
}
