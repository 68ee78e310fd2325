package chunk

import "testing"

func TestSlicesDoNotOverlap(t *testing.T) {
	var a Alloc[int]
	var got [][]int
	for n := range 100 {
		s := a.Slice(n % 70)
		if len(s) != n%70 || cap(s) != n%70 {
			t.Fatalf("Slice(%d) has len %d cap %d", n%70, len(s), cap(s))
		}
		for i := range s {
			if s[i] != 0 {
				t.Fatalf("Slice(%d)[%d] = %d, want 0", n%70, i, s[i])
			}
			s[i] = n
		}
		got = append(got, s)
	}
	for n, s := range got {
		for i, v := range s {
			if v != n {
				t.Fatalf("slice %d[%d] = %d: slices overlap", n, i, v)
			}
		}
	}
	if c := a.Copy([]int{7, 8}); len(c) != 2 || c[0] != 7 || c[1] != 8 {
		t.Errorf("Copy = %v", c)
	}
	if a.Copy(nil) != nil {
		t.Error("Copy(nil) is not nil")
	}
	p, q := a.New(), a.New()
	*p = 1
	if *q != 0 || p == q {
		t.Error("New returned a used value")
	}
}

func TestChunksGrow(t *testing.T) {
	var a Alloc[[24]byte]
	a.Slice(1)
	if cap(a.buf) != 8 {
		t.Errorf("first chunk holds %d, want 8", cap(a.buf))
	}
	for range 10000 {
		a.Slice(3)
	}
	// A full chunk is a large object to the runtime: pages of its own.
	if got := cap(a.buf) * 24; got <= 32<<10 || got > maxBytes {
		t.Errorf("chunk holds %d bytes after many values, want over 32 KiB and at most %d", got, maxBytes)
	}
}
