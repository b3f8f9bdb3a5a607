/**
 * The {@code berth} CLI's behaviour, driven as a process ({@code bin/berth}) against a private berthd: each
 * command's output, exit codes and errors ({@link dev.berth.it.cli.BerthCliTest}), the interactive terminal through
 * tmux ({@link dev.berth.it.cli.BerthCliTerminalTest}), and the commands served by berthd's transfer service
 * ({@link dev.berth.it.cli.BerthCliTransferTest}). {@link dev.berth.it.cli.BerthCliFixture} holds what they share.
 */
package dev.berth.it.cli;
