package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protoProvider drives the provider through the plugin protocol, as Terraform does, to read
// its diagnostics word for word.
type protoProvider struct {
	t      testing.TB
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtoProvider(t testing.TB) *protoProvider {
	t.Helper()
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &protoProvider{t: t, server: server, schema: schema}
}

// value builds an object of the schema's type: the given attributes, every other one null.
func (p *protoProvider) value(s *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		p.t.Fatalf("the schema's type is %s, not an object", s.ValueType())
	}
	all := map[string]tftypes.Value{}
	for name, attrType := range typ.AttributeTypes {
		all[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range attrs {
		if _, ok := all[name]; !ok {
			p.t.Fatalf("no attribute %q in the schema", name)
		}
		all[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, all))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func (p *protoProvider) configure(baseURL, apiKey, organization string) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config: p.value(p.schema.Provider, map[string]tftypes.Value{
			"base_url": str(baseURL), "api_key": str(apiKey), "organization": str(organization),
		}),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

func (p *protoProvider) readDataSource(typeName string, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: p.value(p.schema.DataSourceSchemas[typeName], attrs),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// create plans and applies a new resource and returns the diagnostics of the plan, when it
// has any, or else of the apply.
func (p *protoProvider) create(typeName string, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	_, _, diags := p.planAndApply(typeName, attrs)
	return diags
}

// planAndApply creates a resource as Terraform does, stopping after a plan with diagnostics.
func (p *protoProvider) planAndApply(typeName string, attrs map[string]tftypes.Value) (
	state *tfprotov6.DynamicValue, private []byte, diags []*tfprotov6.Diagnostic,
) {
	p.t.Helper()
	ctx := context.Background()
	s := p.schema.ResourceSchemas[typeName]
	config := p.value(s, attrs)
	none, err := tfprotov6.NewDynamicValue(s.ValueType(), tftypes.NewValue(s.ValueType(), nil))
	if err != nil {
		p.t.Fatal(err)
	}
	plan, err := p.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: &none, ProposedNewState: config, Config: config,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	if len(plan.Diagnostics) > 0 {
		return nil, nil, plan.Diagnostics
	}
	resp, err := p.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: &none, PlannedState: plan.PlannedState, Config: config,
		PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.NewState, resp.Private, resp.Diagnostics
}

// apply creates a resource and returns its state and private state.
func (p *protoProvider) apply(typeName string, attrs map[string]tftypes.Value) (*tfprotov6.DynamicValue, []byte) {
	p.t.Helper()
	state, private, diags := p.planAndApply(typeName, attrs)
	if len(diags) > 0 {
		p.t.Fatalf("creating %s: %v", typeName, diags)
	}
	return state, private
}

// proposed is what Terraform proposes from a prior state and a configuration: configured
// values, and the prior values of computed attributes that the configuration leaves null.
func (p *protoProvider) proposed(s *tfprotov6.Schema, prior *tfprotov6.DynamicValue, config map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	typ := s.ValueType()
	priorValue, err := prior.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := priorValue.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	computed := map[string]bool{}
	for _, a := range s.Block.Attributes {
		computed[a.Name] = a.Computed
	}
	for name := range attrs {
		if v, ok := config[name]; ok {
			attrs[name] = v
		} else if !computed[name] {
			attrs[name] = tftypes.NewValue(attrs[name].Type(), nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}
