package syntax

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a bpftrace release, major.minor (patch releases never change the
// language).
type Version struct{ Major, Minor int }

// Releases bpfls knows, oldest first. V0_17 is what Debian 12 ships.
var (
	V0_17  = Version{0, 17}
	V0_18  = Version{0, 18}
	V0_19  = Version{0, 19}
	V0_20  = Version{0, 20}
	V0_21  = Version{0, 21}
	V0_22  = Version{0, 22}
	V0_23  = Version{0, 23}
	V0_24  = Version{0, 24}
	V0_25  = Version{0, 25}
	V0_26  = Version{0, 26}
	Oldest = V0_17
	Newest = V0_26
)

// String formats v as "0.17".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is o or newer.
func (v Version) AtLeast(o Version) bool {
	return v.Major > o.Major || v.Major == o.Major && v.Minor >= o.Minor
}

// ParseVersion reads "0.17", "v0.17.1", "0.26" or "newest". Versions outside
// [Oldest, Newest] are an error: bpfls does not know their language.
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	if s == "newest" || s == "latest" {
		return Newest, nil
	}
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR, for example 0.17", s)
	}
	var n [2]int
	for i := range n {
		x, err := strconv.Atoi(parts[i])
		if err != nil || x < 0 {
			return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR, for example 0.17", s)
		}
		n[i] = x
	}
	v := Version{n[0], n[1]}
	if !v.AtLeast(Oldest) || !Newest.AtLeast(v) {
		return Version{}, fmt.Errorf("version %q: bpfls knows %s to %s", s, Oldest, Newest)
	}
	return v, nil
}

// Dialect is what the parser and the checks target.
type Dialect struct {
	Version Version
	// Experimental enables syntax no released bpftrace accepts yet, such as
	// calls to user-defined functions.
	Experimental bool
}

// NewestDialect is the default when nothing is configured.
func NewestDialect() Dialect { return Dialect{Version: Newest} }
