package lumlfake

import (
	"net"
	"net/http"
	"time"
)

// keepAliveTimeout is uvicorn's default: an idle connection is closed after it.
const keepAliveTimeout = 5 * time.Second

// dropConnection closes the connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 cannot be hijacked; aborting the handler resets the stream.
	panic(http.ErrAbortHandler)
}

// resetNextRequest does what uvicorn does after answering an unhandled exception: the
// connection stays open, and the next request sent on it gets a TCP reset ("connection reset
// by peer") instead of an answer. A client that reuses the connection must survive that. The
// written answer is flushed first.
func resetNextRequest(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	go func() {
		defer conn.Close()
		_ = conn.SetReadDeadline(time.Now().Add(keepAliveTimeout))
		if _, err := buf.ReadByte(); err != nil {
			return // idle until the keep-alive timeout, or closed by the client
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with a reset rather than a FIN
		}
	}()
}
