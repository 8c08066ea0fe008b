package regime

import "testing"

func TestArticleZH(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Art. 9":     "第九条",
		"Art. 10":    "第十条",
		"Art. 11":    "第十一条",
		"Art. 20":    "第二十条",
		"Art. 21":    "第二十一条",
		"Art. 10(3)": "第十条第（三）项",
		"Art. 13–14": "第十三条至第十四条",
		"Art. 8, 12": "第八条、第十二条",
		"Art. 105":   "第一百零五条",
		"Art. 4(2)":  "第四条第（二）项",
		"Art. 9 bis": "Art. 9 bis",
		"Section 3":  "Section 3",
	} {
		if got := ArticleZH(in); got != want {
			t.Errorf("ArticleZH(%q) = %q, want %q", in, got, want)
		}
	}
}
