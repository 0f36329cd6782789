package dev.rcdrive.station.hud;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.css.PseudoClass;
import javafx.scene.layout.Region;

/**
 * A horizontal bar for a value from -1 to 1 that grows from a centre mark: left for negative
 * (steering left, braking), right for positive. Style classes: {@code center-gauge}, and {@code
 * track}, {@code fill}, {@code mark} inside; {@code :negative} while the value is below zero.
 */
public final class CenterGauge extends Region {

  private static final PseudoClass NEGATIVE = PseudoClass.getPseudoClass("negative");

  private final Region track = new Region();
  private final Region fill = new Region();
  private final Region mark = new Region();
  private final DoubleProperty value = new SimpleDoubleProperty(this, "value", 0);

  public CenterGauge() {
    getStyleClass().add("center-gauge");
    track.getStyleClass().add("track");
    fill.getStyleClass().add("fill");
    mark.getStyleClass().add("mark");
    getChildren().addAll(track, fill, mark);
    value.addListener(
        (obs, was, now) -> {
          pseudoClassStateChanged(NEGATIVE, now.doubleValue() < 0);
          requestLayout();
        });
  }

  /** The value shown, clamped to -1..1 when drawn. */
  public DoubleProperty valueProperty() {
    return value;
  }

  @Override
  protected double computePrefWidth(double height) {
    return 180;
  }

  @Override
  protected double computePrefHeight(double width) {
    return 12;
  }

  @Override
  protected void layoutChildren() {
    double width = getWidth();
    double height = getHeight();
    double centre = snapPositionX(width / 2);
    double v = Math.max(-1, Math.min(1, value.get()));
    double length = snapSizeX(Math.abs(v) * width / 2);
    track.resizeRelocate(0, 0, width, height);
    fill.resizeRelocate(v < 0 ? centre - length : centre, 0, length, height);
    mark.resizeRelocate(centre - 1, -2, 2, height + 4);
  }
}
