package dev.rcdrive.station.hud;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * The side panel's last minute: control round trip, glass to glass and video bitrate, then where
 * the last second's frames spent their time on the way from the lens to the screen.
 */
public final class LinkCharts extends VBox {

  public LinkCharts(HudModel model) {
    super(
        6,
        new TrendChart(model.rttTrend(), Color.web("#2f81f7")),
        new TrendChart(model.glassToGlassTrend(), Color.web("#d29922")),
        new TrendChart(model.bitrateTrend(), Color.web("#3fb950")));
    Label stages = new Label();
    stages.textProperty().bind(model.stagesProperty());
    stages.getStyleClass().add("stages");
    getChildren().addAll(new Label("Where a frame's time goes (last second)"), stages);
  }
}
