package regime

import (
	"regexp"
	"strconv"
	"strings"
)

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// cnNumber writes 1–999 the way Chinese statutes number articles.
func cnNumber(n int) string {
	switch {
	case n <= 0 || n >= 1000:
		return strconv.Itoa(n)
	case n < 10:
		return cnDigits[n]
	case n < 20:
		if n == 10 {
			return "十"
		}
		return "十" + cnDigits[n%10]
	case n < 100:
		s := cnDigits[n/10] + "十"
		if n%10 != 0 {
			s += cnDigits[n%10]
		}
		return s
	}
	s := cnDigits[n/100] + "百"
	switch r := n % 100; {
	case r == 0:
	case r < 10:
		s += "零" + cnDigits[r]
	default:
		s += cnDigits[r/10] + "十"
		if r%10 != 0 {
			s += cnDigits[r%10]
		}
	}
	return s
}

var articleRE = regexp.MustCompile(`^(\d+)(?:\((\d+)\))?$`)

// ArticleZH renders an English article reference in Chinese: "Art. 10(3)"
// is 第十条第（三）项, "Art. 13–14" 第十三条至第十四条, "Art. 8, 12"
// 第八条、第十二条. What it cannot read is returned unchanged.
func ArticleZH(article string) string {
	rest, ok := strings.CutPrefix(article, "Art. ")
	if !ok {
		return article
	}
	one := func(s string) (string, bool) {
		m := articleRE.FindStringSubmatch(strings.TrimSpace(s))
		if m == nil {
			return "", false
		}
		n, _ := strconv.Atoi(m[1])
		out := "第" + cnNumber(n) + "条"
		if m[2] != "" {
			k, _ := strconv.Atoi(m[2])
			out += "第（" + cnNumber(k) + "）项"
		}
		return out, true
	}
	var parts []string
	for _, p := range strings.Split(rest, ",") {
		if a, b, isRange := strings.Cut(p, "–"); isRange {
			x, ok1 := one(a)
			y, ok2 := one(b)
			if !ok1 || !ok2 {
				return article
			}
			parts = append(parts, x+"至"+y)
			continue
		}
		x, ok := one(p)
		if !ok {
			return article
		}
		parts = append(parts, x)
	}
	return strings.Join(parts, "、")
}
