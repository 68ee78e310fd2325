package rope

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// check compares every reader of t with the plain bytes want.
func check(t *testing.T, r *Text, want []byte) {
	t.Helper()
	if r.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", r.Len(), len(want))
	}
	if len(r.chunks) != len(r.starts) {
		t.Fatalf("%d chunks but %d starts", len(r.chunks), len(r.starts))
	}
	off := 0
	for i, c := range r.chunks {
		if len(c) == 0 || r.starts[i] != off || len(c) > maxChunk+chunkSize {
			t.Fatalf("chunk %d: %d bytes at %d, want a non-empty chunk at %d", i, len(c), r.starts[i], off)
		}
		off += len(c)
	}
	n := len(want)
	for _, sp := range [][2]int{{0, n}, {0, n / 2}, {n / 3, n}, {n / 4, n/4 + 7}, {n - 1, n}, {-5, n + 5}} {
		a, b := max(0, min(sp[0], n)), max(0, min(sp[1], n))
		a = min(a, b)
		if got := r.Slice(sp[0], sp[1]); !bytes.Equal(got, want[a:b]) {
			t.Fatalf("Slice(%d, %d) = %q, want %q", sp[0], sp[1], got, want[a:b])
		}
	}
	for _, i := range []int{-1, 0, n / 2, n - 1, n} {
		var w byte
		if i >= 0 && i < n {
			w = want[i]
		}
		if got := r.At(i); got != w {
			t.Fatalf("At(%d) = %q, want %q", i, got, w)
		}
	}
	for _, from := range []int{0, n / 3, n} {
		w := bytes.IndexByte(want[min(from, n):], '\n')
		if w >= 0 {
			w += from
		}
		if got := r.IndexByte(from, '\n'); got != w {
			t.Fatalf("IndexByte(%d) = %d, want %d", from, got, w)
		}
		if got, w := r.LastIndexByte(from, '\n'), bytes.LastIndexByte(want[:from], '\n'); got != w {
			t.Fatalf("LastIndexByte(%d) = %d, want %d", from, got, w)
		}
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if i < 0 || i >= n {
			continue
		}
		c, s := r.ChunkAt(i)
		if s > i || i >= s+len(c) || !bytes.Equal(c, want[s:s+len(c)]) {
			t.Fatalf("ChunkAt(%d) = %d bytes at %d, not the text there", i, len(c), s)
		}
	}
	var all []byte
	r.Chunks(func(c []byte) bool { all = append(all, c...); return true })
	if !bytes.Equal(all, want) {
		t.Fatal("the chunks do not make the text")
	}
	if !r.Equal(New(bytes.Clone(want))) {
		t.Fatal("Equal is false for the same text")
	}
	if got := r.Bytes(); !bytes.Equal(got, want) {
		t.Fatalf("Bytes = %q, want %q", got, want)
	}
}

func TestEditKeepsOldTexts(t *testing.T) {
	base := bytes.Repeat([]byte("kprobe:f { @x = count(); }\n"), 2000) // 54 KB: many chunks
	r := New(bytes.Clone(base))
	check(t, r, base)
	r2 := r.Edit(30000, 30005, []byte("hello"))
	want := append(append(bytes.Clone(base[:30000]), "hello"...), base[30005:]...)
	check(t, r2, want)
	check(t, r, base) // the old text is untouched

	// Chunks away from the edit are shared, not copied.
	shared := 0
	for i, c := range r2.chunks {
		if i < len(r.chunks) && &c[0] == &r.chunks[i][0] {
			shared++
		}
	}
	if shared < len(r.chunks)-2 {
		t.Fatalf("only %d of %d chunks are shared after a 5-byte edit", shared, len(r.chunks))
	}
}

func TestSliceInsideChunkDoesNotCopy(t *testing.T) {
	base := bytes.Repeat([]byte("0123456789"), 3000)
	r := New(bytes.Clone(base)).Edit(10, 11, []byte("x")) // no whole text built
	a := r.Slice(100, 200)
	b := r.Slice(100, 200)
	if &a[0] != &b[0] {
		t.Fatal("a slice inside one chunk was copied")
	}
	if cap(a) != len(a) {
		t.Fatal("a shared slice can be appended to, over the next bytes")
	}
}

func TestTypingKeepsChunksLarge(t *testing.T) {
	var r *Text
	var want []byte
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ { // type a document from nothing, mostly at the end
		at := len(want)
		if rng.IntN(4) == 0 {
			at = rng.IntN(len(want) + 1)
		}
		c := []byte{byte('a' + rng.IntN(26))}
		r = r.Edit(at, at, c)
		want = append(want[:at:at], append(c, want[at:]...)...)
	}
	check(t, r, want)
	if max := len(want)/minChunk + 1; len(r.chunks) > max {
		t.Fatalf("%d chunks for %d bytes, want at most %d", len(r.chunks), len(want), max)
	}
	for len(want) > 0 { // and delete it all again, from the middle
		at := len(want) / 2
		end := min(len(want), at+rng.IntN(50)+1)
		r = r.Edit(at, end, nil)
		want = append(want[:at:at], want[end:]...)
		if len(want)%997 == 0 {
			check(t, r, want)
		}
	}
	check(t, r, want)
}

func TestEmptyAndNil(t *testing.T) {
	var r *Text
	check(t, r.Edit(0, 0, nil), nil)
	if r.Len() != 0 || r.Bytes() != nil || r.Slice(0, 3) != nil {
		t.Fatal("the nil text is not empty")
	}
	check(t, New(nil), nil)
	check(t, New([]byte("abc")).Edit(0, 3, nil), nil)
	check(t, FromString("").Edit(0, 0, []byte("x")), []byte("x"))
}

// FuzzEdit applies random edits and compares every reader with a plain byte
// slice edited the same way.
// maxOps and maxText bound one FuzzEdit input.
const maxOps, maxText = 32, 256 << 10

func FuzzEdit(f *testing.F) {
	f.Add([]byte("hello world"), []byte{0, 5, 3, 'x', 1, 200, 200, 0})
	f.Add(bytes.Repeat([]byte("a\nb"), 5000), []byte{10, 20, 30, 40, 50, 60, 70, 80, 90})
	f.Fuzz(func(t *testing.T, init, ops []byte) {
		want := bytes.Clone(init)
		r := New(init)
		texts := []*Text{r}
		olds := [][]byte{bytes.Clone(want)}
		// The ops and the text are bounded: every version is kept and
		// compared, so a long input of big inserts would need memory
		// quadratic in its length.
		ops = ops[:min(len(ops), 3*maxOps)]
		for len(ops) >= 3 {
			// Each op: where (scaled to the text), how much to delete, how
			// much to insert; big inserts come from repeating bytes.
			at := int(ops[0]) * (len(want) + 1) / 256
			del := int(ops[1]) % 64
			if ops[1] >= 250 {
				del = len(want) / 2
			}
			n := int(ops[2])
			if n >= 200 {
				n *= 100
			}
			if len(want)+n > maxText {
				n = 0
			}
			ins := bytes.Repeat([]byte{'a' + ops[2]%26, '\n'}, n/2+1)[:n]
			ops = ops[3:]
			end := min(at+del, len(want))
			r = r.Edit(at, end, ins)
			want = append(append(bytes.Clone(want[:at]), ins...), want[end:]...)
			texts, olds = append(texts, r), append(olds, bytes.Clone(want))
		}
		for i, r := range texts { // every version stays as it was
			check(t, r, olds[i])
		}
	})
}

// TestConcurrentReaders reads one text from several goroutines while one of
// them builds the whole text (run with -race).
func TestConcurrentReaders(t *testing.T) {
	base := bytes.Repeat([]byte("BEGIN { @x = 1; }\n"), 3000)
	r := New(bytes.Clone(base)).Edit(100, 101, []byte("y"))
	want := append(append(bytes.Clone(base[:100]), 'y'), base[101:]...)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			for i := range 200 {
				a := (i * 997 * (g + 1)) % len(want)
				if g == 0 && i == 100 {
					r.Bytes()
				}
				if got := r.Slice(a, a+300); !bytes.Equal(got, want[a:min(a+300, len(want))]) {
					t.Errorf("Slice(%d) differs", a)
				}
				if c, s := r.ChunkAt(a); !bytes.Equal(c, want[s:s+len(c)]) {
					t.Errorf("ChunkAt(%d) differs", a)
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}
