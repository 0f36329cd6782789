package dev.rcdrive.station.hud;

import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * One figure over the last {@code seconds} seconds, one point per second: the data behind a {@link
 * TrendChart}. FX thread only. A plain ring of doubles rather than chart nodes, so that a new point
 * costs nothing but a redraw (LineChart relaid out the whole side panel each second and delayed the
 * video pulse by up to 30 ms).
 */
public final class Trend {

  private final String title;
  private final String unit;
  private final long[] seconds;
  private final double[] values;
  private int size;
  private int head; // index of the oldest point
  private final ReadOnlyLongWrapper version = new ReadOnlyLongWrapper(this, "version");

  public Trend(String title, String unit, int window) {
    if (window < 2) {
      throw new IllegalArgumentException("a trend needs a window of at least 2 s, not " + window);
    }
    this.title = title;
    this.unit = unit;
    this.seconds = new long[window + 1];
    this.values = new double[window + 1];
  }

  public String title() {
    return title;
  }

  public String unit() {
    return unit;
  }

  /** The window in seconds: older points fall out. */
  public int window() {
    return seconds.length - 1;
  }

  /** Adds the value for {@code second}; NaN (nothing measured) leaves a gap. */
  public void add(long second, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    if (size > 0 && second <= secondAt(size - 1)) {
      return; // one point per second, in order
    }
    if (size == seconds.length) {
      head = (head + 1) % seconds.length;
      size--;
    }
    int slot = (head + size) % seconds.length;
    seconds[slot] = second;
    values[slot] = value;
    size++;
    while (size > 0 && secondAt(0) < second - window()) {
      head = (head + 1) % seconds.length;
      size--;
    }
    version.set(version.get() + 1);
  }

  public void clear() {
    size = 0;
    head = 0;
    version.set(version.get() + 1);
  }

  public int size() {
    return size;
  }

  /** The i-th oldest point's second. */
  public long secondAt(int i) {
    return seconds[(head + i) % seconds.length];
  }

  /** The i-th oldest point's value. */
  public double valueAt(int i) {
    return values[(head + i) % values.length];
  }

  /** The newest value, NaN when empty. */
  public double latest() {
    return size == 0 ? Double.NaN : valueAt(size - 1);
  }

  /** Changes with every point added or cleared: charts redraw on it. */
  public ReadOnlyLongProperty versionProperty() {
    return version.getReadOnlyProperty();
  }
}
