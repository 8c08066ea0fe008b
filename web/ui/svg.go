package ui

import (
	"fmt"
	"html/template"
	"strings"
)

// series is one stacked series of a bar chart.
type series struct {
	Label  string
	Class  string // CSS class giving its colour
	Values []int
}

var svgEsc = template.HTMLEscapeString

// stackedBars draws one stacked bar per label.
func stackedBars(title, desc string, labels []string, ss []series) template.HTML {
	const w, h, left, bottom, top = 640, 240, 40, 34, 16
	maxV := stackMax(len(labels), ss)
	step := niceStep(maxV)
	maxV = (maxV + step - 1) / step * step
	plotH := float64(h - bottom - top)
	slot := float64(w-left-10) / float64(max(1, len(labels)))
	bw := slot * 0.6
	var b strings.Builder
	svgOpen(&b, "chart", fmt.Sprintf("c%x", len(title)*7919+len(labels)*31+maxV), w, h, title, desc)
	for v := 0; v <= maxV; v += step {
		y := float64(top) + plotH - plotH*float64(v)/float64(maxV)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">%d</text>`,
			left, w-10, y, y, left-6, y+4, v)
	}
	for i, l := range labels {
		x := float64(left) + slot*float64(i) + (slot-bw)/2
		y := float64(top) + plotH
		for _, s := range ss {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			hh := plotH * float64(v) / float64(maxV)
			y -= hh
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s %s: %d</title></rect>`,
				s.Class, x, y, bw, hh, svgEsc(l), svgEsc(s.Label), v)
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+bw/2, h-bottom+16, svgEsc(l))
	}
	b.WriteString(`</svg>`)
	b.WriteString(legend(ss))
	return template.HTML(b.String())
}

// stackMax is the tallest stack of n bars, at least 1.
func stackMax(n int, ss []series) int {
	maxV := 1
	for i := 0; i < n; i++ {
		sum := 0
		for _, s := range ss {
			sum += s.Values[i]
		}
		maxV = max(maxV, sum)
	}
	return maxV
}

// hbars draws one horizontal bar per item.
func hbars(title, desc string, labels []string, values []int, classes []string) template.HTML {
	const w, rowH, left = 640, 30, 180
	h := rowH*len(labels) + 10
	maxV := 1
	for _, v := range values {
		maxV = max(maxV, v)
	}
	var b strings.Builder
	svgOpen(&b, "chart", fmt.Sprintf("h%x", len(title)*7919+len(labels)*31+maxV), w, h, title, desc)
	for i, l := range labels {
		y := 5 + i*rowH
		bw := float64(w-left-60) * float64(values[i]) / float64(maxV)
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%d" text-anchor="end">%s</text>`, left-8, y+19, svgEsc(l))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="%d"/>`, classes[i%len(classes)], left, y+4, bw, rowH-10)
		fmt.Fprintf(&b, `<text class="val" x="%.1f" y="%d">%d</text>`, float64(left)+bw+6, y+19, values[i])
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// svgOpen starts a chart: its size, and its title and description for
// screen readers.
func svgOpen(b *strings.Builder, class, id string, w, h int, title, desc string) {
	fmt.Fprintf(b, `<svg class="%s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, class, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(title), id, svgEsc(desc))
}

func legend(ss []series) string {
	var b strings.Builder
	b.WriteString(`<ul class="legend">`)
	for _, s := range ss {
		fmt.Fprintf(&b, `<li><span class="swatch %s" aria-hidden="true"></span>%s</li>`, s.Class, svgEsc(s.Label))
	}
	b.WriteString(`</ul>`)
	return b.String()
}

// niceStep is a grid step giving at most about five lines.
func niceStep(maxV int) int {
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000} {
		if maxV/s <= 5 {
			return s
		}
	}
	return 10000
}
