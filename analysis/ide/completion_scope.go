package ide

// This file implements which scratch variables completion offers at a
// position: those defined before it, in a block that encloses it from
// bpftrace 0.22 on (earlier, a variable lives in the whole probe).

import (
	"strings"

	"github.com/bpfls/bpfls/analysis/syntax"
)

// varItems lists the variables of item visible at pos, and the variable
// parameters of a macro. pos is where the word being typed starts.
func varItems(item syntax.Node, pos syntax.Pos, v syntax.Version) []CompletionItem {
	seen := map[string]bool{}
	var items []CompletionItem
	add := func(name, detail string) {
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		items = append(items, CompletionItem{Label: "$" + name, Kind: CompleteVariable, Insert: "$" + name, Detail: detail, Sort: "2"})
	}
	if m, ok := item.(*syntax.MacroDecl); ok {
		for _, p := range m.Params {
			if p.Kind == syntax.MacroParamVar {
				add(strings.TrimPrefix(p.Name, "$"), "macro parameter")
			}
		}
	}
	if fn, ok := item.(*syntax.FuncDecl); ok {
		for _, p := range fn.Params {
			if p.Var != nil {
				add(p.Var.Name, "parameter")
			}
		}
	}
	blockScoped := v.AtLeast(syntax.V0_22)
	for _, d := range varDefs(item) {
		if d.at < pos && (!blockScoped || d.scope == nil || blockContains(d.scope, pos)) {
			add(d.name, "variable")
		}
	}
	return items
}

// varDef is where a variable is first assigned or declared, and the block
// it is declared in (nil at the top of the item).
type varDef struct {
	name  string
	at    syntax.Pos
	scope *syntax.Block
}

// varDefs lists the definitions of item's variables in source order:
// assignments, let declarations and for-loop variables (scoped to the
// loop body).
func varDefs(item syntax.Node) []varDef {
	var defs []varDef
	var blocks []*syntax.Block
	var stack []syntax.Node
	syntax.Inspect(item, func(n syntax.Node) bool {
		if n == nil {
			if b, ok := stack[len(stack)-1].(*syntax.Block); ok && len(blocks) > 0 && blocks[len(blocks)-1] == b {
				blocks = blocks[:len(blocks)-1]
			}
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		var scope *syntax.Block
		if len(blocks) > 0 {
			scope = blocks[len(blocks)-1]
		}
		switch x := n.(type) {
		case *syntax.Block:
			blocks = append(blocks, x)
		case *syntax.AssignStmt:
			if lv, ok := x.LHS.(*syntax.VarExpr); ok {
				defs = append(defs, varDef{name: lv.Name, at: lv.Pos(), scope: scope})
			}
		case *syntax.LetStmt:
			if x.Var != nil {
				defs = append(defs, varDef{name: x.Var.Name, at: x.Var.Pos(), scope: scope})
			}
		case *syntax.ForStmt:
			if x.Var != nil {
				defs = append(defs, varDef{name: x.Var.Name, at: x.Var.Pos(), scope: x.Body})
			}
		}
		return true
	})
	return defs
}
