// This file implements running one bpftrace process: no shell, stdin closed,
// no controlling terminal, and the whole process group killed on timeout.

package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"
)

// outputLimit caps how much of each stream is kept; a runaway process must not
// grow the server's memory without bound.
const outputLimit = 4 << 20

// processResult is what one run printed and how it ended.
type processResult struct {
	stdout, stderr []byte
	exitCode       int  // -1 when killed by a signal
	signaled       bool // ended by a signal other than our timeout kill
}

// runProcess runs argv in dir with env. It returns a *RunError for timeouts
// and missing binaries, the caller's ctx error when ctx ends first, and
// otherwise the output whatever the exit status.
func runProcess(ctx context.Context, argv, env []string, dir string, timeout time.Duration) (processResult, error) {
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var stdout, stderr limitedBuffer
	cmd, err := startCommand(runCtx, argv, env, dir, &stdout, &stderr)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return processResult{exitCode: -1}, fmt.Errorf("running %s: %w", argv[0], ctx.Err())
		case runCtx.Err() != nil:
			return processResult{exitCode: -1}, &RunError{Kind: ErrTimeout, Command: argv, ExitCode: -1, Err: err}
		}
		// Missing, not executable, or a directory: in every case there is no
		// bpftrace to run at this path.
		return processResult{exitCode: -1}, &RunError{Kind: ErrNotFound, Command: argv, ExitCode: -1, Err: err}
	}
	err = cmd.Wait()
	res := processResult{stdout: stdout.Bytes(), stderr: stderr.Bytes(), exitCode: cmd.ProcessState.ExitCode()}
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("running %s: %w", argv[0], ctx.Err())
	case runCtx.Err() != nil:
		_ = killGroup(cmd) // the leader is gone, but its children may linger
		return res, &RunError{Kind: ErrTimeout, Command: argv, ExitCode: -1,
			Output: string(bytes.TrimSpace(res.stderr)), Err: fmt.Errorf("no result after %v", timeout)}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.signaled = true
		}
		return res, nil
	}
	if err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		return res, &RunError{Kind: ErrCrashed, Command: argv, ExitCode: -1, Err: err}
	}
	return res, nil
}

// startCommand starts argv. It retries briefly while the binary is "text
// file busy": being replaced by an upgrade, or written just now while another
// process forked and still holds the writer's descriptor until it execs.
func startCommand(ctx context.Context, argv, env []string, dir string, stdout, stderr io.Writer) (*exec.Cmd, error) {
	for attempt := 0; ; attempt++ {
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = env
		cmd.Dir = dir
		cmd.Stdin = nil // reads from the null device: a prompt gets EOF at once
		cmd.Stdout, cmd.Stderr = stdout, stderr
		// A new session has no controlling terminal, so sudo and friends
		// cannot open /dev/tty to ask for a password; it also makes a process
		// group we can kill as a whole, children included.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		cmd.Cancel = func() error { return killGroup(cmd) }
		cmd.WaitDelay = time.Second // do not wait forever for pipes held by grandchildren
		err := cmd.Start()
		if err == nil || !errors.Is(err, syscall.ETXTBSY) || attempt == 4 {
			return cmd, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// killGroup kills the process group led by cmd's process.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// limitedBuffer keeps the first outputLimit bytes written to it.
type limitedBuffer struct{ buf bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := outputLimit - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) Bytes() []byte { return b.buf.Bytes() }
