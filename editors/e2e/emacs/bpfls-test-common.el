;;; bpfls-test-common.el --- shared by the Emacs end-to-end tests  -*- lexical-binding: t; -*-

;; Result lines, waiting, and the idle time batch mode never has.

(require 'cl-lib)

(defvar bpfls-test-suite "emacs" "Prefix of the result lines.")
(defvar bpfls-test-fixtures (getenv "FIXTURES"))
(defvar bpfls-test-timeout (/ (string-to-number (or (getenv "TIMEOUT_MS") "15000")) 1000.0))
(defvar bpfls-test-failed 0)

(defun bpfls-test-say (fmt &rest args) (princ (concat (apply #'format fmt args) "\n")))
(defun bpfls-test-pass (name fmt &rest args)
  (bpfls-test-say "PASS %s/%s (%s)" bpfls-test-suite name (apply #'format fmt args)))
(defun bpfls-test-fail (name fmt &rest args)
  (setq bpfls-test-failed (1+ bpfls-test-failed))
  (bpfls-test-say "FAIL %s/%s: %s" bpfls-test-suite name (apply #'format fmt args)))

(defun bpfls-test-idle ()
  "Run the one-shot idle timers, as Emacs does when the user stops typing."
  (dolist (tm (copy-sequence timer-idle-list))
    (unless (timer--repeat-delay tm)
      (timer-event-handler tm))))

(defun bpfls-test-wait (pred)
  "Run the event loop until PRED returns non-nil or the time is up; return its value."
  (let ((deadline (+ (float-time) bpfls-test-timeout)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      ;; Read from each server by name: after a synchronous request, output that
      ;; arrived with its reply can wait unread when no process is named.
      (dolist (p (process-list)) (accept-process-output p 0.01))
      (accept-process-output nil 0.02))
    v))

(defun bpfls-test-run (cases cleanup)
  "Run CASES (functions named bpfls-test-CASE) and CLEANUP, then exit 1 if any failed."
  (dolist (c cases)
    (condition-case err (funcall c)
      (error (bpfls-test-fail (substring (symbol-name c) 11) "test error: %S" err))))
  (bpfls-test-say "%s: done" bpfls-test-suite)
  (ignore-errors (funcall cleanup))
  (kill-emacs (if (> bpfls-test-failed 0) 1 0)))

(defun bpfls-test-format-with (name command)
  "Case NAME: COMMAND lays out valid.bt with two-space indentation through the server."
  (bpfls-test-open "valid.bt")
  (call-interactively command)
  (let ((line5 (bpfls-test-wait
                (lambda () (save-excursion (goto-char (point-min)) (forward-line 4)
                                           (looking-at-p "  @reads\\[comm\\] = count();$"))))))
    (let ((got (buffer-string)))
      (revert-buffer t t)
      (if line5
          (bpfls-test-pass name "M-x %s: valid.bt laid out with two-space indentation" command)
        (bpfls-test-fail name "M-x %s left valid.bt as %S" command got)))))

(declare-function bpfls-test-open "eglot-test" (name)) ; each test file defines how it opens a file

(defun bpfls-test-verify ()
  "M-x bpftrace-verify reaches the server, which says verification is off (the default)."
  (bpfls-test-open "valid.bt")
  (let ((from (with-current-buffer "*Messages*" (point-max))))
    (call-interactively #'bpftrace-verify)
    (let ((shown (bpfls-test-wait
                  (lambda ()
                    (with-current-buffer "*Messages*"
                      (save-excursion
                        (goto-char from)
                        (and (search-forward "verify.enabled" nil t)
                             (buffer-substring (line-beginning-position) (line-end-position)))))))))
      (if shown
          (bpfls-test-pass "verify" "%s" shown)
        (bpfls-test-fail "verify" "no message from the server about verify.enabled")))))

(provide 'bpfls-test-common)
;;; bpfls-test-common.el ends here
