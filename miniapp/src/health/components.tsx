import { View, Text } from '@tarojs/components';
import { tipBlocks, type TextRun } from '@jiayi/shared/domain/push/rich-text';

function Runs({ runs }: { runs: TextRun[] }) {
  return (
    <>
      {runs.map((r, i) => (
        <Text key={i} className={r.bold ? 'bold' : undefined}>
          {r.text}
        </Text>
      ))}
    </>
  );
}

/** A tip body (safe HTML subset) as paragraphs, bold runs and lists — no HTML is injected. */
export function TipBody({ html }: { html: string }) {
  return (
    <View className='tip-body' data-testid='tip-body'>
      {tipBlocks(html).map((b, i) =>
        b.type === 'p' ? (
          <View key={i} className='tip-p'>
            <Runs runs={b.runs} />
          </View>
        ) : (
          <View key={i}>
            {b.items.map((item, j) => (
              <View key={j} className='tip-li'>
                <Text className='tip-li-mark'>{b.type === 'ol' ? `${j + 1}.` : '•'}</Text>
                <View>
                  <Runs runs={item} />
                </View>
              </View>
            ))}
          </View>
        ),
      )}
    </View>
  );
}
