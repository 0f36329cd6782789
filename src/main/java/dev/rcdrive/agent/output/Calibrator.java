package dev.rcdrive.agent.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rcdrive agent --calibrate}: steps one channel's pulse width from the terminal so a person
 * can find a servo's end points and an ESC's neutral, then prints the values to paste into
 * agent.json. Reads commands line by line from any reader (tests give it a string). It starts at
 * the configured neutral, never leaves 500..2500 µs, and goes back to neutral when it ends — on
 * "q", at end of input, or on any error.
 */
public final class Calibrator {

  static final int MIN_US = 500;
  static final int MAX_US = 2500;

  private final PwmChannel channel;
  private final int neutralUs;
  private final BufferedReader in;
  private final PrintWriter out;
  private final Map<String, Integer> marks = new TreeMap<>();
  private int current;

  public Calibrator(PwmChannel channel, int neutralUs, BufferedReader in, PrintWriter out) {
    this.channel = channel;
    this.neutralUs = neutralUs;
    this.in = in;
    this.out = out;
  }

  public static final String HELP =
      """
      commands:  + / -        step 10 µs         ++ / --   step 50 µs
                 +N / -N      step N µs          N         set N µs (500-2500)
                 c            back to neutral    min | neutral | max   mark the current width
                 p            print the marks    q         quit (back to neutral)""";

  /** Runs until "q" or end of input; returns the marks (min, neutral, max) that were made. */
  public Map<String, Integer> run() throws IOException {
    current = neutralUs;
    try {
      channel.pulseMicros(current);
      out.println(HELP);
      prompt();
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.trim().toLowerCase(Locale.ROOT);
        if (command.equals("q")) {
          break;
        }
        String problem = apply(command);
        if (problem != null) {
          out.println(problem);
        }
        prompt();
      }
    } finally {
      channel.pulseMicros(neutralUs); // whatever happened, leave it at neutral
    }
    out.println();
    out.println("back at neutral (" + neutralUs + " µs). " + summary());
    out.flush();
    return Map.copyOf(marks);
  }

  private String apply(String command) throws IOException {
    switch (command) {
      case "" -> {
        return null;
      }
      case "+" -> {
        return set(current + 10);
      }
      case "-" -> {
        return set(current - 10);
      }
      case "++" -> {
        return set(current + 50);
      }
      case "--" -> {
        return set(current - 50);
      }
      case "c" -> {
        return set(neutralUs);
      }
      case "min", "neutral", "max" -> {
        marks.put(command, current);
        out.println("marked " + command + " = " + current + " µs");
        return null;
      }
      case "p" -> {
        out.println(summary());
        return null;
      }
      default -> {
        try {
          if (command.startsWith("+") || command.startsWith("-")) {
            return set(current + Integer.parseInt(command));
          }
          return set(Integer.parseInt(command));
        } catch (NumberFormatException e) {
          return "unknown command '" + command + "'\n" + HELP;
        }
      }
    }
  }

  private String set(int micros) throws IOException {
    if (micros < MIN_US || micros > MAX_US) {
      return micros + " µs is outside " + MIN_US + "-" + MAX_US + " µs; still at " + current;
    }
    channel.pulseMicros(micros);
    current = micros;
    return null;
  }

  private void prompt() {
    out.print(current + " µs> ");
    out.flush();
  }

  /** The marks as agent.json fields, e.g. {@code "minUs": 1040, "neutralUs": 1500}. */
  String summary() {
    if (marks.isEmpty()) {
      return "no marks yet (type min, neutral or max to mark the current width)";
    }
    StringBuilder json = new StringBuilder("for agent.json: ");
    String separator = "";
    for (String name : new String[] {"min", "neutral", "max"}) {
      if (marks.containsKey(name)) {
        json.append(separator).append('"').append(name).append("Us\": ").append(marks.get(name));
        separator = ", ";
      }
    }
    return json.toString();
  }
}
