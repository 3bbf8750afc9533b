package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
)

// sendProgress shows a progress line of an action. The framework's SendProgress blocks for
// good once the plugin server stopped reading the stream (after Ctrl-C, say): then the line is
// given up rather than the action.
func sendProgress(ctx context.Context, resp *action.InvokeResponse, message string) {
	sent := make(chan struct{})
	go func() {
		resp.SendProgress(action.InvokeProgressEvent{Message: message})
		close(sent)
	}()
	select {
	case <-sent:
	case <-ctx.Done():
	}
}
