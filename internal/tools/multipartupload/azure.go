package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// blockList is the body of Azure's Put Block List: the blocks in the blob's order.
type blockList struct {
	XMLName xml.Name `xml:"BlockList"`
	Latest  []string `xml:"Latest"`
}

// uploadAzure PUTs each part as a block (its URL carries comp=block and the block ID), then
// commits the blocks in part order by PUTting the block list to complete_url.
func uploadAzure(ctx context.Context, client *http.Client, f *os.File, u upload) (int64, error) {
	blocks := blockList{Latest: make([]string, 0, len(u.Parts))}
	var uploaded int64
	for _, p := range u.Parts {
		id, err := blockID(p.URL)
		if err != nil {
			return 0, fmt.Errorf("part %d: %w", p.PartNumber, err)
		}
		if _, err := putPart(ctx, client, f, p); err != nil {
			return 0, err
		}
		blocks.Latest = append(blocks.Latest, id)
		uploaded += p.size()
	}

	body, err := xml.Marshal(blocks)
	if err != nil {
		return 0, err
	}
	body = append([]byte(xml.Header), body...)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.CompleteURL, bytes.NewReader(body))
	if err != nil {
		return 0, errors.New("complete: invalid URL")
	}
	req.Header.Set("Content-Type", "application/xml")
	if _, err := send(client, req); err != nil {
		return 0, fmt.Errorf("complete: %w", err)
	}
	return uploaded, nil
}

// blockID reads the blockid parameter of a Put Block URL. The server writes the base64 ID
// unescaped, so a '+' in it is a plus, not a space.
func blockID(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", errors.New("invalid URL")
	}
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		if value, ok := strings.CutPrefix(pair, "blockid="); ok {
			id, err := url.PathUnescape(value)
			if err != nil || id == "" {
				return "", errors.New("the URL has an unreadable blockid")
			}
			return id, nil
		}
	}
	return "", errors.New("the URL has no blockid: not an Azure Put Block URL")
}
