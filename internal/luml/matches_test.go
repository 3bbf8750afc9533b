package luml_test

import (
	"context"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// Matches is the server's rule: a create of the spec is refused as a conflict exactly when the
// organization holds a secret it matches.
func TestMatchesIsTheServersConflictRule(t *testing.T) {
	withEndpoint := func(s luml.S3Spec, endpoint string) luml.S3Spec { s.Endpoint = endpoint; return s }
	withRegion := func(s luml.S3Spec, region string) luml.S3Spec { s.Region = region; return s }
	az := azureSpec("shared")
	for name, tt := range map[string]struct {
		existing, created luml.SecretSpec
		want              bool
	}{
		"same S3 spec":              {s3Spec("b"), s3Spec("b"), true},
		"S3 with and without https": {withEndpoint(s3Spec("b"), "s3.eu-west-1.amazonaws.com"), s3Spec("b"), true},
		"S3 other settings":         {s3Spec("b"), withRegion(s3Spec("b"), "us-east-1"), true},
		"S3 other bucket":           {s3Spec("b"), s3Spec("c"), false},
		"S3 endpoint letter case":   {s3Spec("b"), withEndpoint(s3Spec("b"), "https://S3.eu-west-1.amazonaws.com"), false},
		"same Azure spec":           {az, az, true},
		"Azure and S3, one endpoint": {az, luml.S3Spec{
			Endpoint: az.ConnectionString, BucketName: az.ContainerName, Region: "r",
		}, true},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			existing := e.create(tt.existing)
			if got := luml.Matches(tt.created, existing); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
			_, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, tt.created)
			if conflict := luml.IsConflict(err); conflict != tt.want || (err != nil && !conflict) {
				t.Errorf("the create gave %v; a conflict was expected: %v", err, tt.want)
			}
		})
	}
}
