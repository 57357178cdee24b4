package io.blnk.auth.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root command's settings and streams. */
abstract class Sub {

  @Spec CommandSpec spec;

  BlnkAuthCli root() {
    return (BlnkAuthCli) spec.root().userObject();
  }
}
