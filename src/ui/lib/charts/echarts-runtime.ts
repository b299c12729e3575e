// ECharts with only what the console draws (tree-shaken). This module is the heavy part of the
// console's script (about half of it), so it is imported only when a chart is first shown
// (echarts.svelte.ts): the fleet page, the home screen, opens without it.
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart,
  BarChart,
  ScatterChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkAreaComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export function createChart(node: HTMLElement): EChartsType {
  return init(node, null, { renderer: 'canvas' });
}
