;;; bpftrace-mode.el --- Major mode for bpftrace scripts, with bpfls  -*- lexical-binding: t; -*-

;; URL: https://github.com/bpfls/bpfls
;; Version: 0.1
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools

;;; Commentary:

;; Highlighting, comments and indentation for bpftrace scripts (*.bt and files
;; whose first line runs bpftrace), and the bpfls language server registered
;; for eglot and lsp-mode.  Everything else (diagnostics, hover, completion,
;; code actions) comes from the server.
;;
;;   (add-to-list 'load-path "~/.local/share/bpfls/editors/emacs")
;;   (require 'bpftrace-mode)
;;   (add-hook 'bpftrace-mode-hook #'eglot-ensure)   ; or #'lsp-deferred

;;; Code:

(defgroup bpftrace nil
  "Editing bpftrace scripts."
  :group 'languages
  :prefix "bpftrace-")

(defcustom bpftrace-indent-offset 2
  "Indentation of each nested block; bpftrace's formatter (bpftrace --fmt) uses 2."
  :type 'integer
  :safe #'integerp)

(defcustom bpftrace-bpfls-command '("bpfls" "serve")
  "The bpfls language server and its arguments."
  :type '(repeat string))

(defconst bpftrace--probe-types
  '("kprobe" "kretprobe" "uprobe" "uretprobe" "usdt" "tracepoint" "rawtracepoint"
    "fentry" "fexit" "kfunc" "kretfunc" "profile" "interval" "software" "hardware"
    "watchpoint" "asyncwatchpoint" "iter"
    "k" "kr" "u" "ur" "t" "rt" "f" "fr" "p" "i" "s" "h" "w" "aw" "it")
  "Probe types and their short forms, from bpftrace 0.17 to 0.26.")

(defconst bpftrace--keywords
  '("if" "else" "while" "for" "unroll" "return" "break" "continue" "let"
    "config" "import" "macro" "fn" "sizeof" "offsetof" "typeof" "typeinfo" "comptime"
    "struct" "union" "enum")
  "Keywords, from bpftrace 0.17 to 0.26.")

(defconst bpftrace--builtins
  '("args" "ctx" "retval" "func" "probe" "probetype" "pid" "tid" "nsecs" "kstack" "ustack"
    "comm" "cpu" "numaid" "cgroup" "curtask" "elapsed" "uid" "gid" "rand" "username" "cpid"
    "jiffies" "ncpus" "usermode")
  "Builtin variables.")

(defconst bpftrace--types
  '("int8" "int16" "int32" "int64" "uint8" "uint16" "uint32" "uint64" "bool" "string"
    "inet" "buffer" "void" "char" "short" "int" "long" "unsigned" "signed")
  "Type names used in casts and declarations.")

(defconst bpftrace-font-lock-keywords
  `(("\\`#!.*$" . font-lock-preprocessor-face)
    ("^[ \t]*#[ \t]*[a-z]+" . font-lock-preprocessor-face)
    (,(concat "^[ \t]*\\(" (regexp-opt bpftrace--probe-types) "\\):") 1 font-lock-builtin-face)
    ("^[ \t]*\\(BEGIN\\|END\\|begin\\|end\\|self\\|test\\|bench\\)\\_>" 1 font-lock-builtin-face)
    (,(regexp-opt bpftrace--keywords 'symbols) . font-lock-keyword-face)
    (,(regexp-opt bpftrace--types 'symbols) . font-lock-type-face)
    ("\\_<\\(true\\|false\\)\\_>" . font-lock-constant-face)
    (,(regexp-opt bpftrace--builtins 'symbols) . font-lock-constant-face)
    ("\\_<s?arg[0-9]+\\_>" . font-lock-constant-face)
    ("@[A-Za-z_][A-Za-z0-9_]*\\|@" . font-lock-variable-name-face)
    ("\\$\\([0-9]+\\|#\\)" . font-lock-constant-face)
    ("\\$[A-Za-z_][A-Za-z0-9_]*" . font-lock-variable-name-face)
    ("\\_<\\([A-Za-z_][A-Za-z0-9_]*\\)[ \t]*(" 1 font-lock-function-name-face))
  "Highlighting for `bpftrace-mode'.")

(defvar bpftrace-mode-syntax-table
  (let ((st (make-syntax-table)))
    ;; C comments: // to the end of the line and /* ... */.
    (modify-syntax-entry ?/ ". 124b" st)
    (modify-syntax-entry ?* ". 23" st)
    (modify-syntax-entry ?\n "> b" st)
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "\\" st)
    (modify-syntax-entry ?_ "_" st)
    (modify-syntax-entry ?$ "'" st)
    (modify-syntax-entry ?@ "'" st)
    (dolist (c '(?+ ?- ?% ?& ?| ?< ?> ?= ?! ?^ ?~ ??))
      (modify-syntax-entry c "." st))
    (modify-syntax-entry ?' "." st)
    st)
  "Syntax table for `bpftrace-mode'.")

(defun bpftrace-indent-line ()
  "Indent the current line by the depth of the braces and parentheses around it."
  (interactive)
  (let* ((pos (- (point-max) (point)))
         (indent
          (save-excursion
            (back-to-indentation)
            (let* ((ppss (syntax-ppss))
                   (depth (car ppss)))
              (cond
               ((nth 4 ppss) nil)         ; inside a comment: leave it
               ((nth 3 ppss) nil)         ; inside a string: leave it
               (t (when (looking-at "[]})]") (setq depth (1- depth)))
                  (* (max depth 0) bpftrace-indent-offset)))))))
    (when indent
      (indent-line-to indent))
    (when (> (- (point-max) pos) (point))
      (goto-char (- (point-max) pos)))))

;;;###autoload
(define-derived-mode bpftrace-mode prog-mode "bpftrace"
  "Major mode for editing bpftrace scripts."
  :syntax-table bpftrace-mode-syntax-table
  (setq-local font-lock-defaults '(bpftrace-font-lock-keywords))
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)\\s-*")
  (setq-local indent-line-function #'bpftrace-indent-line)
  (setq-local electric-indent-chars (append "{}()" electric-indent-chars))
  (setq-local indent-tabs-mode nil))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.bt\\'" . bpftrace-mode))
;;;###autoload
(add-to-list 'interpreter-mode-alist '("bpftrace" . bpftrace-mode))

(declare-function eglot-current-server "eglot")
(declare-function jsonrpc-async-request "jsonrpc")
(declare-function lsp-workspaces "lsp-mode")
(declare-function lsp-request-async "lsp-mode")
(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")
(defvar eglot-server-programs)
(defvar lsp-language-id-configuration)

(defun bpftrace-verify ()
  "Compile the buffer with the real bpftrace (compile only, nothing is attached).
bpfls must have verification enabled; its messages arrive as diagnostics.  The
request is asynchronous: a compile may take seconds, and Emacs stays usable."
  (interactive)
  (let ((params (list :command "bpfls.verify"
                      :arguments (vector (concat "file://" (expand-file-name buffer-file-name))))))
    (cond
     ((and (fboundp 'eglot-current-server) (eglot-current-server))
      (jsonrpc-async-request (eglot-current-server) :workspace/executeCommand params
                             :success-fn #'ignore))
     ((and (fboundp 'lsp-workspaces) (lsp-workspaces))
      (lsp-request-async "workspace/executeCommand" params #'ignore))
     (t (user-error "No bpfls connection in this buffer")))))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `(bpftrace-mode . ,(lambda (&optional _interactive) bpftrace-bpfls-command))))

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(bpftrace-mode . "bpftrace"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () bpftrace-bpfls-command))
    :activation-fn (lsp-activate-on "bpftrace")
    :server-id 'bpfls)))

(provide 'bpftrace-mode)
;;; bpftrace-mode.el ends here
