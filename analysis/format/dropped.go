// This file implements keeping the comments bpftrace's layout drops inside
// expressions: they lead their statement, or follow it.

package format

import "github.com/bpfls/bpfls/analysis/syntax"

// drop records the comments left in x, which nothing printed.
func (p *printer) drop(x *index) {
	for _, e := range x.entries() {
		if !e.vspace {
			p.dropped = append(p.dropped, e)
		}
	}
}

// takeDropped returns the comments dropped since mark and forgets them,
// or nil when leading with them would reorder comments: they must be the
// first comment lines of pending, the entries that were left to print
// when the printing began.
func (p *printer) takeDropped(mark int, pending []meta) []string {
	lead, trail, ok := p.splitDropped(mark, pending, -1)
	if !ok || len(trail) > 0 {
		return nil
	}
	return lead
}

// splitDropped returns the comments dropped since mark and forgets them:
// those before the first comment that was printed (lead) and those after
// it (trail), for a statement ending at end that printed the others. ok is
// false when no such split keeps the comments in order: a printed comment
// comes after one in trail. With end < 0 nothing after the dropped ones
// counts.
func (p *printer) splitDropped(mark int, pending []meta, end syntax.Pos) (lead []string, trail []meta, ok bool) {
	d := p.dropped[mark:]
	p.dropped = p.dropped[:mark]
	if len(d) == 0 {
		return nil, nil, true
	}
	k, printed := 0, false
	for _, e := range pending {
		if k == len(d) && (end < 0 || e.start >= end) {
			break
		}
		if e.vspace {
			continue
		}
		switch {
		case k < len(d) && e.start == d[k].start:
			// Matched by place: two comments may say the same.
			if printed {
				trail = append(trail, d[k])
			} else {
				lead = append(lead, d[k].text)
			}
			k++
		case end < 0 || len(trail) > 0:
			return nil, nil, false
		default:
			printed = true
		}
	}
	if k < len(d) {
		return nil, nil, false
	}
	return lead, trail, true
}
