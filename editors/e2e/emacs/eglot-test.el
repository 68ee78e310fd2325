;;; eglot-test.el --- bpfls in Emacs with Debian's eglot, end to end  -*- lexical-binding: t; -*-

;; run.sh loads the init.el from editors/README.md (copied verbatim), then this file, in
;; `emacs --batch'.  Batch mode has no command loop, so the test runs the hooks,
;; timers and commands a command loop would: post-command-hook (where eglot-ensure
;; connects), the idle timer that sends an edit,
;; flymake, eldoc's documentation functions, completion-at-point's table, and
;; M-x eglot-code-actions, M-x bpftrace-verify.  The one stand-in is the answer to its prompt: the
;; vfs_read fix is picked, as a user would.
;; Prints "PASS emacs-eglot/<case> (...)" or "FAIL emacs-eglot/<case>: why".

(require 'eglot)
(require 'flymake)

(require 'bpfls-test-common)
(setq bpfls-test-suite "emacs-eglot")

(defun bpfls-test-open (name)
  "Visit fixture NAME and let eglot-ensure connect, as after the first command."
  (find-file (expand-file-name name bpfls-test-fixtures))
  (run-hooks 'post-command-hook)
  (bpfls-test-wait (lambda () (eglot-managed-p))))

(defun bpfls-test-diag-on (line)
  "The flymake diagnostic on LINE of the current buffer, if any."
  (flymake-start)
  (cl-find-if (lambda (d) (= line (line-number-at-pos (flymake-diagnostic-beg d))))
              (flymake-diagnostics)))

(defun bpfls-test-filetype ()
  (bpfls-test-open "syntax_error.bt")
  (let ((got (format "mode=%s comment-start=%S font-lock=%s indent=%s%s eglot=%s" major-mode comment-start
                     (and font-lock-defaults t) bpftrace-indent-offset (if indent-tabs-mode "+tabs" "")
                     (eglot-managed-p))))
    (find-file (expand-file-name "shebang-script" bpfls-test-fixtures))
    (let ((shebang major-mode))
      (find-file (expand-file-name "syntax_error.bt" bpfls-test-fixtures))
      (if (and (eq major-mode 'bpftrace-mode) (eq shebang 'bpftrace-mode)
               (equal comment-start "// ") (eglot-managed-p)
               (= bpftrace-indent-offset 2) (not indent-tabs-mode))
          (bpfls-test-pass "filetype" "%s, shebang-script too" got)
        (bpfls-test-fail "filetype" "%s, shebang-script: %s" got shebang)))))

(defun bpfls-test-syntax ()
  "The face at the start of each regexp's first match in valid.bt."
  (find-file (expand-file-name "valid.bt" bpfls-test-fixtures))
  (font-lock-ensure)
  (let ((want '(("#!/usr" . font-lock-preprocessor-face) ("// e2e" . font-lock-comment-delimiter-face)
                ("kprobe" . font-lock-builtin-face) ("@reads" . font-lock-variable-name-face)
                ("\\_<comm\\_>" . font-lock-constant-face) ("count(" . font-lock-function-name-face)
                ("interval" . font-lock-builtin-face)))
        bad)
    (dolist (w want)
      (goto-char (point-min))
      (re-search-forward (car w))
      (let* ((pos (match-beginning 0)) (face (get-text-property pos 'face)))
        (unless (if (listp face) (memq (cdr w) face) (eq face (cdr w)))
          (push (format "%s at %d is %S, want %s" (car w) pos face (cdr w)) bad))))
    (if bad (bpfls-test-fail "syntax" "%s" (string-join bad "; "))
      (bpfls-test-pass "syntax" "%d faces in valid.bt" (length want)))))

(defun bpfls-test-indent ()
  "indent.bt, flattened and re-indented with indent-region, comes back unchanged."
  (find-file (expand-file-name "indent.bt" bpfls-test-fixtures))
  (let ((want (buffer-string)))
    (goto-char (point-min))
    (while (re-search-forward "^[ \t]+" nil t) (replace-match ""))
    (indent-region (point-min) (point-max))
    (let ((got (buffer-string)))
      (revert-buffer t t)
      (if (equal got want)
          (bpfls-test-pass "indent" "%d lines of indent.bt re-indented as written"
                           (count-lines (point-min) (point-max)))
        (bpfls-test-fail "indent" "got:\n%s" got)))))

(defun bpfls-test-diagnostics ()
  (bpfls-test-open "syntax_error.bt")
  (let ((d (bpfls-test-wait (lambda () (bpfls-test-diag-on 6)))))
    (cond ((not d) (bpfls-test-fail "diagnostics" "no diagnostic on line 6"))
          ((not (eq (flymake-diagnostic-type d) 'eglot-error))
           (bpfls-test-fail "diagnostics" "not an error: %s" (flymake-diagnostic-text d)))
          (t (bpfls-test-pass "diagnostics" "6: %s" (flymake-diagnostic-text d))))))

(defun bpfls-test-hover ()
  (bpfls-test-open "valid.bt")
  (goto-char (point-min))
  (search-forward "count")
  (backward-char 2)
  (let (docs)
    (dolist (f eldoc-documentation-functions)
      (when (functionp f)
        (funcall f (lambda (info &rest _) (when (stringp info) (push info docs))))))
    (bpfls-test-wait (lambda () (cl-some (lambda (s) (string-match-p "count" s)) docs)))
    (let ((text (cl-find-if (lambda (s) (string-match-p "count" s)) docs)))
      (if text
          (bpfls-test-pass "hover" "%s" (truncate-string-to-width
                                         (replace-regexp-in-string "[ \t\n]+" " " text) 60))
        (bpfls-test-fail "hover" "eldoc got nothing about count: %S" docs)))))

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
  (let ((d (bpfls-test-wait (lambda () (bpfls-test-diag-on 2)))) (offered nil))
    (if (not d)
        (bpfls-test-fail "code_action" "no diagnostic on line 2")
      (goto-char (flymake-diagnostic-beg d))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt items &rest _)
                   (setq offered (mapcar #'car items))
                   (or (cl-find-if (lambda (s) (string-match-p "vfs_read" s)) offered) ""))))
        ;; As typed at the keyboard (M-x): eglot then asks with completing-read.
        ;; (eglot 1.9's eglot-code-action-quickfix only lists the actions.)
        (let ((last-nonmenu-event ?\r))
          (call-interactively #'eglot-code-actions)))
      (let ((line (bpfls-test-wait
                   (lambda () (save-excursion (goto-char (point-min)) (forward-line 1)
                                              (looking-at-p "kprobe:vfs_read$"))))))
        ;; Emacs would now be idle: eglot's idle timer sends didChange.
        (when eglot--change-idle-timer (timer-event-handler eglot--change-idle-timer))
        (cond
         ((not line) (bpfls-test-fail "code_action" "line 2 unchanged; offered %S" offered))
         ((not (bpfls-test-wait (lambda () (not (bpfls-test-diag-on 2)))))
          (bpfls-test-fail "code_action" "the diagnostic on line 2 stayed after the fix"))
         (t (bpfls-test-pass "code_action" "quickfix for %S applied, diagnostic gone"
                             (flymake-diagnostic-text d))))
        (set-buffer-modified-p nil)))))

(defun bpfls-test-settings ()
  "eglot-workspace-configuration, as editors/README.md shows it, reaches the server."
  (bpfls-test-open "version.bt")
  (setq-default eglot-workspace-configuration '(:bpfls (:targetVersion "0.17")))
  (eglot-signal-didChangeConfiguration (eglot-current-server))
  (let ((d (bpfls-test-wait (lambda () (bpfls-test-diag-on 5)))))
    (if (not d)
        (bpfls-test-fail "settings" "targetVersion 0.17: no diagnostic on line 5 of version.bt")
      (setq-default eglot-workspace-configuration '(:bpfls (:targetVersion "0.26")))
      (eglot-signal-didChangeConfiguration (eglot-current-server))
      (if (bpfls-test-wait (lambda () (not (bpfls-test-diag-on 5))))
          (bpfls-test-pass "settings" "0.17: %s; 0.26: none" (flymake-diagnostic-text d))
        (bpfls-test-fail "settings" "targetVersion 0.26: line 5 still has %s"
                         (flymake-diagnostic-text (bpfls-test-diag-on 5)))))))

(defun bpfls-test-format () (bpfls-test-format-with "format" #'eglot-format-buffer))

(bpfls-test-run '(bpfls-test-filetype bpfls-test-syntax bpfls-test-indent bpfls-test-diagnostics
                  bpfls-test-hover bpfls-test-completion bpfls-test-code-action bpfls-test-format bpfls-test-settings bpfls-test-verify)
                #'eglot-shutdown-all)
