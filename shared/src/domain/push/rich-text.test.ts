import { describe, expect, it } from 'vitest';
import { parseTipHtml, sanitizeTipHtml, tipPlainText } from './rich-text';

describe('sanitizeTipHtml: paragraphs, bold and lists only', () => {
  it.each([
    ['plain lines become paragraphs', '少盐\n\n多动', '<p>少盐</p><p>多动</p>'],
    ['keeps p, strong, ul/ol/li', '<p>每天<b>食盐</b>不超过5克</p><ol><li>一</li><li>二</li></ol>', '<p>每天<strong>食盐</strong>不超过5克</p><ol><li>一</li><li>二</li></ol>'],
    ['drops script with its content', '<p>安全</p><script>alert(1)</script>', '<p>安全</p>'],
    ['drops attributes and event handlers', '<p onclick="x()" style="color:red">文字</p><img src=x onerror=alert(1)>', '<p>文字</p>'],
    ['keeps the text of unknown tags', '<p><a href="javascript:alert(1)">链接文字</a><span>与</span><em>强调</em></p>', '<p>链接文字与强调</p>'],
    ['escapes text', '<p>1 &lt; 2 &amp;&amp; "3"</p>', '<p>1 &lt; 2 &amp;&amp; &quot;3&quot;</p>'],
    ['headings become paragraphs', '<h1>标题</h1>正文', '<p>标题</p><p>正文</p>'],
    ['stray li becomes a bulleted list', '<li>甲</li><li>乙</li>', '<ul><li>甲</li><li>乙</li></ul>'],
    ['unterminated comment and iframe vanish', '<p>好</p><iframe src="x">坏</iframe><!-- x', '<p>好</p>'],
    ['bidi overrides removed', '<p>a\u202eb</p>', '<p>ab</p>'],
  ])('%s', (_n, input, expected) => {
    expect(sanitizeTipHtml(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = sanitizeTipHtml('<div>一<b>二</b></div><ul><li>三<br>四</li></ul><style>p{}</style>');
    expect(sanitizeTipHtml(once)).toBe(once);
  });

  it('blocks and plain text for rendering', () => {
    const blocks = parseTipHtml('<p>要点：<strong>规律服药</strong></p><ul><li>早上</li></ul>');
    expect(blocks).toEqual([
      { type: 'p', runs: [{ text: '要点：' }, { text: '规律服药', bold: true }] },
      { type: 'ul', items: [[{ text: '早上' }]] },
    ]);
    expect(tipPlainText(blocks)).toBe('要点：规律服药\n早上');
  });
});
