package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// variantEnv names the schema variant a no-op provider process serves. The benchmark sets it
// to measure what each feature of the schema costs Terraform and the framework per resource.
const variantEnv = "LUML_BENCH_NOOP_VARIANT"

// variant is luml_bucket_secret's schema with one group of features taken out.
type variant struct {
	// drop are the attributes and blocks taken out.
	drop []string
	// keep, when set, are the only attributes kept (and no blocks).
	keep []string
	// bare takes out validators, plan modifiers and defaults.
	bare bool
	// noIdentity serves the resource without an identity schema.
	noIdentity bool
	// quiet switches the provider's logging off, as the LUML provider does when Terraform
	// would discard it.
	quiet bool
}

var (
	writeOnlyAttributes = []string{"access_key_wo", "secret_key_wo", "session_token_wo", "connection_string_wo",
		"credentials_wo_version"}
	sensitiveAttributes = []string{"access_key", "secret_key", "session_token", "connection_string"}
	// sevenAttributes are an S3 bucket secret's essentials, without credentials.
	sevenAttributes = []string{"id", "bucket_name", "endpoint", "region", "secure", "cert_check", "created_at"}
)

// variants are the schemas the benchmark can ask for, by name; "" is the full LUML schema.
var variants = map[string]variant{
	"":              {},
	"no-timeouts":   {drop: []string{"timeouts"}},
	"no-orbits":     {drop: []string{"orbits"}},
	"no-write-only": {drop: writeOnlyAttributes},
	"no-sensitive":  {drop: sensitiveAttributes},
	"no-validators": {bare: true},
	"no-identity":   {noIdentity: true},
	// The LUML validators of the seven read attributes that are gone (type), so they go too.
	"seven": {keep: sevenAttributes, bare: true, noIdentity: true},
	"none-of-above": {drop: append(append([]string{"timeouts", "orbits"}, writeOnlyAttributes...),
		sensitiveAttributes...), bare: true, noIdentity: true},
	"quiet":       {quiet: true},
	"seven-quiet": {keep: sevenAttributes, bare: true, noIdentity: true, quiet: true},
}

func variantFromEnv() (variant, error) {
	name := os.Getenv(variantEnv)
	v, ok := variants[name]
	if !ok {
		return v, fmt.Errorf("%s=%q: no such variant", variantEnv, name)
	}
	return v, nil
}

// apply takes the variant's features out of s.
func (v variant) apply(ctx context.Context, s *schema.Schema) {
	gone := map[string]bool{}
	for _, name := range v.drop {
		gone[name] = true
	}
	if v.keep != nil {
		kept := map[string]bool{}
		for _, name := range v.keep {
			kept[name] = true
		}
		for name := range s.Attributes {
			gone[name] = !kept[name]
		}
		for name := range s.Blocks {
			gone[name] = true
		}
	}
	for name, isGone := range gone {
		if isGone {
			delete(s.Attributes, name)
			delete(s.Blocks, name)
		}
	}
	for name, a := range s.Attributes {
		str, ok := a.(schema.StringAttribute)
		if !ok {
			if v.bare {
				s.Attributes[name] = bareAttribute(a)
			}
			continue
		}
		if v.bare {
			str.Validators, str.PlanModifiers, str.Default = nil, nil, nil
		} else {
			// A validator naming an attribute that is gone would fail on every plan.
			str.Validators = withoutReferences(ctx, str.Validators, gone)
		}
		s.Attributes[name] = str
	}
}

func bareAttribute(a schema.Attribute) schema.Attribute {
	switch a := a.(type) {
	case schema.BoolAttribute:
		a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
		return a
	case schema.Int64Attribute:
		a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
		return a
	case schema.ListNestedAttribute:
		a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
		return a
	}
	return a
}

// withoutReferences drops the validators whose description names an attribute in gone, such as
// ConflictsWith.
func withoutReferences(ctx context.Context, vs []validator.String, gone map[string]bool) []validator.String {
	var out []validator.String
	for _, val := range vs {
		refers := false
		for name, isGone := range gone {
			if isGone && strings.Contains(val.Description(ctx), "["+name+"]") {
				refers = true
			}
		}
		if !refers {
			out = append(out, val)
		}
	}
	return out
}
