package main

import (
	"fmt"
	"image/color"
	"os"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var kindStyle = map[kind]struct {
	color color.Color
	shape draw.GlyphDrawer
}{
	kindLUML: {color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, draw.CircleGlyph{}},
	kindNoop: {color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, draw.SquareGlyph{}},
	kindData: {color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}, draw.TriangleGlyph{}},
}

// timePoints are the median times of one kind against N, with their min and max.
type timePoints struct {
	plotter.XYs
	plotter.YErrors
}

// writeChart draws a panel per latency (rows) and phase (columns): median wall time against
// N, a line per kind, bars from the fastest to the slowest run.
func writeChart(path string, r *results) error {
	plots := make([][]*plot.Plot, len(r.cfg.latencies))
	for i, latency := range r.cfg.latencies {
		counts := r.cfg.counts
		if latency == 0 {
			counts = r.unloadedCounts()
		}
		for _, ph := range phases {
			pl := plot.New()
			pl.Title.Text = fmt.Sprintf("%s, API latency %s", ph, formatLatency(latency))
			pl.X.Label.Text = "N (resources)"
			pl.Y.Label.Text = "wall time (s)"
			pl.Y.Min = 0
			var ticks []plot.Tick
			for _, n := range counts {
				ticks = append(ticks, plot.Tick{Value: float64(n), Label: strconv.Itoa(n)})
			}
			pl.X.Tick.Marker = plot.ConstantTicks(ticks)
			pl.Add(plotter.NewGrid())
			pl.Legend.Top, pl.Legend.Left = true, true
			for _, k := range kinds {
				var pts timePoints
				for _, n := range counts {
					s, ok := r.summary(key{latency, n, k, ph})
					if !ok {
						continue
					}
					pts.XYs = append(pts.XYs, plotter.XY{X: float64(n), Y: s.median.Seconds()})
					pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{
						(s.median - s.min).Seconds(), (s.max - s.median).Seconds(),
					})
				}
				if len(pts.XYs) == 0 {
					continue
				}
				line, points, err := plotter.NewLinePoints(pts.XYs)
				if err != nil {
					return err
				}
				bars, err := plotter.NewYErrorBars(pts)
				if err != nil {
					return err
				}
				style := kindStyle[k]
				line.Color, line.Width = style.color, vg.Points(1.5)
				points.Color, points.Shape = style.color, style.shape
				bars.Color = style.color
				pl.Add(line, points, bars)
				pl.Legend.Add(string(k), line, points)
			}
			plots[i] = append(plots[i], pl)
		}
	}

	img := vgimg.New(vg.Points(330*float64(len(phases))), vg.Points(260*float64(len(plots))))
	dc := draw.New(img)
	tiles := draw.Tiles{
		Rows: len(plots), Cols: len(phases),
		PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(12),
	}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		for j := range plots[i] {
			plots[i][j].Draw(canvases[i][j])
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
