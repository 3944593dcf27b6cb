// Which nodes answered the curl test, as a bar chart. Loaded on demand: the chart library is large.

import { BarChart } from '@mantine/charts';

export default function ByNodeChart({ byNode }: { byNode: Record<string, number> }) {
  const data = Object.entries(byNode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, answers]) => ({ node, answers }));
  return (
    <BarChart
      h={220}
      data={data}
      dataKey="node"
      series={[{ name: 'answers', label: 'Answers', color: 'blue.6' }]}
      withBarValueLabel
      aria-label="Answers by node"
      data-testid="test-by-node-chart"
    />
  );
}
