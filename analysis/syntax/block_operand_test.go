package syntax

import "testing"

// TestBlockOperand: from bpftrace 0.24 a block that an operator follows at
// the start of a statement is the first operand of an expression, as in
// "macro m(x) { { 1 } + x }"; 0.17 has no block expressions at all. A
// block alone stays a block statement.
func TestBlockOperand(t *testing.T) {
	t.Parallel()
	src := []byte("macro m(x) { { 1 } + x }\nBEGIN { { 1 } * 2; { 2 } ? 3 : 4; { 5 }; { 6 } }\n")
	for _, v := range []Version{V0_24, V0_25, V0_26} {
		f := Parse("x.bt", src, Dialect{Version: v})
		if len(f.Errors) > 0 {
			t.Errorf("%s: %v", v, f.Errors)
			continue
		}
		m := f.Item(0).(*MacroDecl)
		if x, ok := m.Body.Stmts[0].(*ExprStmt); !ok || x.Semi.IsValid() {
			t.Errorf("%s: macro value is %T", v, m.Body.Stmts[0])
		} else if b, ok := x.X.(*BinaryExpr); !ok || b.Op != Plus {
			t.Errorf("%s: macro value is %T", v, x.X)
		} else if _, ok := b.X.(*BlockExpr); !ok {
			t.Errorf("%s: first operand is %T", v, b.X)
		}
		stmts := f.Item(1).(*Probe).Body.Stmts
		if len(stmts) != 4 {
			t.Fatalf("%s: %d statements", v, len(stmts))
		}
		if x, ok := stmts[0].(*ExprStmt); !ok || !x.Semi.IsValid() {
			t.Errorf("%s: %T", v, stmts[0])
		} else if _, ok := x.X.(*BinaryExpr); !ok {
			t.Errorf("%s: %T", v, x.X)
		}
		if x, ok := stmts[1].(*ExprStmt); !ok {
			t.Errorf("%s: %T", v, stmts[1])
		} else if tx, ok := x.X.(*TernaryExpr); !ok {
			t.Errorf("%s: %T", v, x.X)
		} else if _, ok := tx.Cond.(*BlockExpr); !ok {
			t.Errorf("%s: condition is %T", v, tx.Cond)
		}
		for _, s := range stmts[2:] {
			if _, ok := s.(*BlockStmt); !ok {
				t.Errorf("%s: %T, want a block statement", v, s)
			}
		}
	}
	// Before 0.26 a block without a value is no operand: two statements.
	for _, v := range []Version{V0_24, V0_25} {
		f := Parse("x.bt", []byte("BEGIN { { @a = 1; } -1; }\n"), Dialect{Version: v})
		if n := len(f.Item(0).(*Probe).Body.Stmts); len(f.Errors) > 0 || n != 2 {
			t.Errorf("%s: %d statements, %v", v, n, f.Errors)
		}
	}
	f := Parse("x.bt", src, Dialect{Version: V0_17})
	if len(f.Errors) == 0 {
		t.Fatal("0.17 accepts block expressions")
	}
	for _, e := range f.Errors {
		if e.Code != CodeNeedsVersion {
			t.Errorf("0.17: %s: %s, want only %s errors", e.Code, e.Msg, CodeNeedsVersion)
		}
	}
}

// TestIfOperand: bpftrace 0.26 reads an if statement that an operator
// follows as the first operand of an expression; 0.24's grammar ends the
// statement at the if's last block, so "-$x;" is a statement of its own.
func TestIfOperand(t *testing.T) {
	t.Parallel()
	src := []byte("BEGIN { if (1) { 1 } else { 2 } * 3; if (1) { $x = 2; } -$x; }\n")
	f := Parse("x.bt", src, Dialect{Version: V0_26})
	if len(f.Errors) > 0 {
		t.Fatal(f.Errors)
	}
	stmts := f.Item(0).(*Probe).Body.Stmts
	if len(stmts) != 2 {
		t.Fatalf("0.26: %d statements", len(stmts))
	}
	for _, s := range stmts {
		x, ok := s.(*ExprStmt)
		if !ok {
			t.Fatalf("0.26: %T", s)
		}
		if b, ok := x.X.(*BinaryExpr); !ok {
			t.Errorf("0.26: %T", x.X)
		} else if _, ok := b.X.(*IfExpr); !ok {
			t.Errorf("0.26: first operand is %T", b.X)
		}
	}
	f = Parse("x.bt", []byte("BEGIN { if (1) { $x = 2; } -$x; }\n"), Dialect{Version: V0_24})
	if len(f.Errors) > 0 {
		t.Fatal(f.Errors)
	}
	if stmts := f.Item(0).(*Probe).Body.Stmts; len(stmts) != 2 {
		t.Errorf("0.24: %d statements, want the if and -$x", len(stmts))
	}
	if f = Parse("x.bt", []byte("BEGIN { if (1) { 1 } else { 2 } + 3; }\n"), Dialect{Version: V0_24}); len(f.Errors) == 0 {
		t.Error("0.24 accepts an if as an operand")
	}
}
