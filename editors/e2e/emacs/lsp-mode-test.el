;;; lsp-mode-test.el --- bpfls in Emacs with Debian's lsp-mode, end to end  -*- lexical-binding: t; -*-

;; run.sh loads the init.el from editors/README.md (copied verbatim), then this file, in
;; `emacs --batch'.  It swaps eglot-ensure for lsp-deferred, as editors/README.md says
;; for lsp-mode users, and answers lsp-mode's first-time "import project root?"
;; question by letting it guess.  Then, as in eglot-test.el: the connection from the
;; hook, diagnostics, hover (lsp-describe-thing-at-point), completion-at-point's table,
;; M-x lsp-execute-code-action and M-x bpftrace-verify.
;; Prints "PASS emacs-lsp-mode/<case> (...)" or "FAIL emacs-lsp-mode/<case>: why".

(require 'bpfls-test-common)
(require 'lsp-mode)
(setq bpfls-test-suite "emacs-lsp-mode")

(remove-hook 'bpftrace-mode-hook #'eglot-ensure)
(add-hook 'bpftrace-mode-hook #'lsp-deferred)
(setq lsp-auto-guess-root t
      lsp-enable-file-watchers nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-session-file (expand-file-name "lsp-session" temporary-file-directory))

(defun bpfls-test-open (name)
  "Visit fixture NAME; when Emacs goes idle, lsp-deferred connects."
  (find-file (expand-file-name name bpfls-test-fixtures))
  (bpfls-test-idle)
  (bpfls-test-wait (lambda () (and (lsp-workspaces)
                                   (eq 'initialized (lsp--workspace-status (car (lsp-workspaces))))))))

(defun bpfls-test-diags ()
  (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t)))

(defun bpfls-test-diag-on (line)
  "The server's diagnostic on LINE (1-based) of the current buffer, if any."
  (cl-find-if (lambda (d) (= (1- line) (lsp:position-line (lsp:range-start (lsp:diagnostic-range d)))))
              (bpfls-test-diags)))

(defun bpfls-test-connect ()
  (if (bpfls-test-open "syntax_error.bt")
      (bpfls-test-pass "connect" "%s via lsp-deferred for %s"
                       (lsp--workspace-print (car (lsp-workspaces))) major-mode)
    (bpfls-test-fail "connect" "no initialized bpfls workspace for syntax_error.bt (mode %s)" major-mode)))

(defun bpfls-test-diagnostics ()
  (bpfls-test-open "syntax_error.bt")
  (let ((d (bpfls-test-wait (lambda () (bpfls-test-diag-on 6)))))
    (if (and d (eq (lsp:diagnostic-severity? d) 1))
        (bpfls-test-pass "diagnostics" "6: %s" (lsp:diagnostic-message d))
      (bpfls-test-fail "diagnostics" "no error on line 6: %S" (bpfls-test-diags)))))

(defun bpfls-test-hover ()
  (bpfls-test-open "valid.bt")
  (goto-char (point-min))
  (search-forward "count")
  (backward-char 2)
  (lsp-describe-thing-at-point)
  (let ((text (with-current-buffer (get-buffer-create "*lsp-help*") (buffer-string))))
    (if (string-match-p "count" text)
        (bpfls-test-pass "hover" "%s" (truncate-string-to-width
                                       (replace-regexp-in-string "[ \t\n]+" " " text) 60))
      (bpfls-test-fail "hover" "*lsp-help* says nothing about count: %S" text))))

(defun bpfls-test-completion ()
  (bpfls-test-open "completion.bt")
  (goto-char (point-max))
  (skip-chars-backward "\n")
  (let ((words nil) (deadline (+ (float-time) bpfls-test-timeout)))
    (while (and (not (member "vfs_read" words)) (< (float-time) deadline))
      (let ((capf (run-hook-with-args-until-success 'completion-at-point-functions)))
        (when capf
          (setq words (all-completions
                       (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)) (nth 2 capf)))))
      (unless (member "vfs_read" words) (accept-process-output nil 0.3)))
    (if (member "vfs_read" words)
        (bpfls-test-pass "completion" "%d candidates, including vfs_read" (length words))
      (bpfls-test-fail "completion" "no vfs_read among %d: %S" (length words) (seq-take words 10)))))

(defun bpfls-test-code-action ()
  (bpfls-test-open "quickfix.bt")
  (let ((d (bpfls-test-wait (lambda () (bpfls-test-diag-on 2)))))
    (if (not d)
        (bpfls-test-fail "code_action" "no diagnostic on line 2")
      (goto-char (point-min))
      (forward-line 1)
      (search-forward "vfs_raed")
      (call-interactively #'lsp-execute-code-action)
      (cond
       ((not (bpfls-test-wait (lambda () (save-excursion (goto-char (point-min)) (forward-line 1)
                                                         (looking-at-p "kprobe:vfs_read$")))))
        (bpfls-test-fail "code_action" "line 2 unchanged"))
       ((not (bpfls-test-wait (lambda () (not (bpfls-test-diag-on 2)))))
        (bpfls-test-fail "code_action" "the diagnostic on line 2 stayed after the fix"))
       (t (bpfls-test-pass "code_action" "fix for %S applied, diagnostic gone" (lsp:diagnostic-message d))))
      (set-buffer-modified-p nil))))

(defun bpfls-test-format () (bpfls-test-format-with "format" #'lsp-format-buffer))

(bpfls-test-run '(bpfls-test-connect bpfls-test-diagnostics bpfls-test-hover
                  bpfls-test-completion bpfls-test-code-action bpfls-test-format bpfls-test-verify)
                #'ignore) ; the server exits when Emacs closes its stdin
