package csreview

import "strings"

// usccChars are the 31 characters of a unified social credit code
// (GB 32100-2015 §4.3): digits and capitals without I, O, S, V and Z.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of the first 17 positions (GB 32100-2015 §5).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is an 18-character unified social credit code
// with a correct check character (GB 32100-2015).
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	return USCCCheck(s[:17]) == s[17]
}

// USCCCheck returns the check character for the first 17 characters of a
// unified social credit code, or 0 if they hold a character outside the set.
func USCCCheck(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		n := strings.IndexByte(usccChars, first17[i])
		if n < 0 {
			return 0
		}
		sum += n * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}

// iso3166 holds the ISO 3166-1 alpha-2 codes, space-separated.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// ValidCountry reports whether s is an ISO 3166-1 alpha-2 code.
func ValidCountry(s string) bool {
	return len(s) == 2 && strings.Contains(iso3166, s) && strings.Index(iso3166, s)%3 == 0
}
