package dev.rcdrive.station.hud;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * A small line chart of a {@link Trend}: title with the latest value, the range on the left, the
 * last minute left to right. Drawn on a canvas, so a new point never changes the layout.
 */
public final class TrendChart extends Region {

  private static final Color GRID = Color.web("#30363d");
  private static final Color TEXT = Color.web("#8b949e");
  private static final Color VALUE = Color.web("#e6edf3");
  private static final Font SMALL = Font.font(11);
  private static final double LEFT = 44;
  private static final double TOP = 20;
  private static final double BOTTOM = 4;

  private final Trend trend;
  private final Color line;
  private final Canvas canvas = new Canvas();

  public TrendChart(Trend trend, Color line) {
    this.trend = trend;
    this.line = line;
    getStyleClass().add("trend-chart");
    getChildren().add(canvas);
    setPrefHeight(96);
    setMinHeight(72);
    trend.versionProperty().addListener((obs, was, now) -> draw());
  }

  public Trend trend() {
    return trend;
  }

  @Override
  protected void layoutChildren() {
    double width = snapSizeX(getWidth());
    double height = snapSizeY(getHeight());
    if (canvas.getWidth() != width || canvas.getHeight() != height) {
      canvas.setWidth(width);
      canvas.setHeight(height);
      draw();
    }
  }

  @Override
  protected double computePrefWidth(double height) {
    return 280;
  }

  private void draw() {
    double width = canvas.getWidth();
    double height = canvas.getHeight();
    GraphicsContext g = canvas.getGraphicsContext2D();
    g.clearRect(0, 0, width, height);
    if (width <= LEFT || height <= TOP + BOTTOM) {
      return;
    }
    g.setFont(SMALL);
    g.setTextBaseline(VPos.TOP);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFill(TEXT);
    g.fillText(trend.title(), 0, 2);
    g.setTextAlign(TextAlignment.RIGHT);
    g.setFill(VALUE);
    double latest = trend.latest();
    g.fillText(Double.isNaN(latest) ? "–" : format(latest) + " " + trend.unit(), width - 2, 2);

    double plotW = width - LEFT - 2;
    double plotH = height - TOP - BOTTOM;
    g.setStroke(GRID);
    g.setLineWidth(1);
    g.strokeRect(LEFT + 0.5, TOP + 0.5, plotW - 1, plotH - 1);
    int n = trend.size();
    if (n == 0) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      min = Math.min(min, trend.valueAt(i));
      max = Math.max(max, trend.valueAt(i));
    }
    min = Math.min(0, min); // latencies and rates read best from zero
    if (max - min < 1e-9) {
      max = min + 1;
    }
    max += (max - min) * 0.1;
    g.setFill(TEXT);
    g.setTextAlign(TextAlignment.RIGHT);
    g.setTextBaseline(VPos.TOP);
    g.fillText(format(max), LEFT - 4, TOP);
    g.setTextBaseline(VPos.BOTTOM);
    g.fillText(format(min), LEFT - 4, TOP + plotH);

    long newest = trend.secondAt(n - 1);
    double perSecond = plotW / trend.window();
    g.setStroke(line);
    g.setLineWidth(1.5);
    g.beginPath();
    for (int i = 0; i < n; i++) {
      double x = LEFT + plotW - (newest - trend.secondAt(i)) * perSecond;
      double y = TOP + plotH - (trend.valueAt(i) - min) / (max - min) * plotH;
      if (i == 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    }
    g.stroke();
  }

  private static String format(double value) {
    return Math.abs(value) >= 100 ? String.format("%.0f", value) : String.format("%.1f", value);
  }
}
