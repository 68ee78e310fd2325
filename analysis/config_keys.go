package analysis

// configKeys are the settings a config block accepts (newest version).
var configKeys = []string{"cache_user_symbols", "cpp_demangle", "lazy_symbolication", "license", "log_size",
	"max_bpf_progs", "max_cat_bytes", "max_map_keys", "max_probes", "max_strlen", "missing_probes", "on_stack_limit",
	"perf_rb_pages", "print_maps_on_exit", "show_debug_info", "stack_mode", "str_trunc_trailer", "use_blazesym",
	"unstable_tseries", "unstable_typeinfo", "unstable_dw_ustack", "unstable_import_statement", "unstable_macro", "unstable_map_decl"}
