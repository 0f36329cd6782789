package dev.rcdrive.cli;

import dev.rcdrive.protocol.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the rcdrive(1) man page (troff) from the picocli model, so the page and {@code --help}
 * cannot disagree. Run at {@code package} (target/man/rcdrive.1); the Pi package installs it, and
 * the agent's systemd unit points at it ({@code Documentation=man:rcdrive(1)}).
 */
public final class ManPage {

  private ManPage() {}

  /** {@code ManPage FILE}: writes the page to FILE. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ManPage OUTPUT_FILE");
    }
    Path file = Path.of(args[0]);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, render(Main.commandLine()), StandardCharsets.UTF_8);
  }

  /** The whole page. */
  static String render(CommandLine root) {
    CommandSpec spec = root.getCommandSpec();
    StringBuilder page = new StringBuilder();
    page.append(
        ".\\\" Generated from the picocli model by dev.rcdrive.cli.ManPage; do not edit.\n");
    page.append(".TH RCDRIVE 1 \"\" \"rcdrive ")
        .append(escape(Version.current()))
        .append("\" \"User Commands\"\n");
    page.append(".SH NAME\nrcdrive \\- drive a real RC car over the internet with WebRTC\n");
    page.append(".SH SYNOPSIS\n");
    for (CommandLine sub : root.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help")) {
        page.append(".B rcdrive ").append(sub.getCommandName()).append("\n.RI [ options ]\n.br\n");
      }
    }
    page.append(".SH DESCRIPTION\n");
    paragraphs(page, spec.usageMessage().description());
    options(page, spec);
    page.append(".SH COMMANDS\n");
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      page.append(".SS \"rcdrive ").append(sub.getCommandName()).append("\"\n");
      paragraphs(page, s.usageMessage().description());
      for (PositionalParamSpec p : s.positionalParameters()) {
        page.append(".TP\n.I ")
            .append(escape(p.paramLabel()))
            .append('\n')
            .append(escape(String.join(" ", p.description())))
            .append('\n');
      }
      options(page, s);
    }
    page.append(".SH FILES\n")
        .append(".TP\n.I /etc/rcdrive/agent.json\n")
        .append("The car agent's configuration (rcdrive agent); a commented example is in\n")
        .append(".IR /usr/share/doc/rcdrive-agent/agent.example.json .\n")
        .append(".TP\n.I /etc/rcdrive/agent.env\n")
        .append(
            "Secrets for the agent's service (RCDRIVE_CAR_KEY), read by rcdrive-agent.service.\n");
    page.append(".SH SEE ALSO\n")
        .append(".BR systemctl (1),\n.BR journalctl (1);\n")
        .append(".I /usr/share/doc/rcdrive-agent/README.md\n");
    return page.toString();
  }

  private static void options(StringBuilder page, CommandSpec spec) {
    if (spec.options().isEmpty()) {
      return;
    }
    page.append(spec.parent() == null ? ".SH OPTIONS\n" : ".PP\nOptions:\n");
    for (OptionSpec option : spec.options()) {
      if (option.hidden()) {
        continue;
      }
      page.append(".TP\n\\fB").append(escape(String.join(", ", option.names()))).append("\\fR");
      if (option.arity().max() > 0) {
        page.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
      }
      page.append('\n');
      page.append(escape(String.join(" ", option.description()))).append('\n');
    }
  }

  private static void paragraphs(StringBuilder page, String[] lines) {
    for (String line : lines) {
      page.append(".PP\n").append(escape(line)).append('\n');
    }
  }

  /** troff text: backslashes and hyphens escaped, no line that starts a request. */
  static String escape(String text) {
    String escaped = text.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : escaped.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line);
    }
    return out.toString();
  }
}
