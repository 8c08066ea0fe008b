package site

import "testing"

// TestMoney: amounts read alike everywhere, in the reader's language.
func TestMoney(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang string
		n    int64
		want string
	}{
		{"zh-CN", 5000000, "500万元"},
		{"zh-CN", 1234567, "123.4567万元"},
		{"zh-CN", 100000000000, "10,000,000万元"},
		{"zh-CN", 12500, "1.25万元"},
		{"zh-CN", 9999, "9,999元"},
		{"zh-CN", 0, "0元"},
		{"en", 5000000, "CNY 5,000,000"},
		{"en", 999, "CNY 999"},
	} {
		if got := Money(tt.lang, tt.n); got != tt.want {
			t.Errorf("Money(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
