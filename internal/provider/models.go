package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// bucketSecretAttributes are the attributes of a bucket secret that the API returns, shared
// by the resource and both data sources. The endpoint is not among them: the resource keeps
// the configured spelling, and for Azure it is a connection string that only the resource
// may hold.
type bucketSecretAttributes struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Type           types.String `tfsdk:"type"`
	BucketName     types.String `tfsdk:"bucket_name"`
	Region         types.String `tfsdk:"region"`
	Secure         types.Bool   `tfsdk:"secure"`
	CertCheck      types.Bool   `tfsdk:"cert_check"`
	Orbits         types.List   `tfsdk:"orbits"`
	CreatedAt      types.String `tfsdk:"created_at"`
	UpdatedAt      types.String `tfsdk:"updated_at"`
}

var orbitAttrTypes = map[string]attr.Type{
	"id":   types.StringType,
	"name": types.StringType,
}

var orbitObjectType = types.ObjectType{AttrTypes: orbitAttrTypes}

func bucketSecretAttributesFromAPI(s *luml.BucketSecret) bucketSecretAttributes {
	orbits := make([]attr.Value, len(s.Orbits))
	for i, o := range s.Orbits {
		orbits[i] = types.ObjectValueMust(orbitAttrTypes, map[string]attr.Value{
			"id":   types.StringValue(o.ID),
			"name": types.StringValue(o.Name),
		})
	}
	return bucketSecretAttributes{
		ID:             types.StringValue(s.ID),
		OrganizationID: types.StringValue(s.OrganizationID),
		Type:           types.StringValue(string(s.Type)),
		BucketName:     types.StringValue(s.BucketName),
		Region:         types.StringPointerValue(s.Region),
		Secure:         types.BoolPointerValue(s.Secure),
		CertCheck:      types.BoolPointerValue(s.CertCheck),
		Orbits:         types.ListValueMust(orbitObjectType, orbits),
		CreatedAt:      timeValue(&s.CreatedAt),
		UpdatedAt:      timeValue(s.UpdatedAt),
	}
}

// s3Endpoint is the endpoint a data source may show: an Azure endpoint is a connection
// string with the account key in it.
func s3Endpoint(s *luml.BucketSecret) types.String {
	if s.Type == luml.BucketTypeAzure {
		return types.StringNull()
	}
	return types.StringValue(s.Endpoint)
}

func timeValue(t *time.Time) types.String {
	if t == nil || t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339Nano))
}
