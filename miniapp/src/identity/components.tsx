import type { ReactNode } from 'react';
import { View, Text, Input } from '@tarojs/components';

export function Field(props: {
  label: string;
  name: string;
  value: string;
  onInput: (v: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: string | null;
  placeholder?: string;
  type?: 'text' | 'number' | 'idcard';
  maxlength?: number;
}) {
  return (
    <View className='field' data-testid={`field-${props.name}`}>
      <Text className='label'>{props.label}</Text>
      <Input
        className={`input${props.error ? ' has-error' : ''}`}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        maxlength={props.maxlength ?? 140}
        onInput={(e) => props.onInput(e.detail.value)}
        onBlur={() => props.onBlur?.()}
      />
      {props.error ? <Text className='field-error'>{props.error}</Text> : props.hint ? <Text className='hint'>{props.hint}</Text> : null}
    </View>
  );
}

export function Chips<T extends string>(props: { options: readonly { value: T; label: string }[]; selected: readonly T[]; onToggle: (v: T) => void; testid?: string }) {
  return (
    <View className='chips' data-testid={props.testid}>
      {props.options.map((o) => (
        <View key={o.value} className={`chip${props.selected.includes(o.value) ? ' on' : ''}`} onClick={() => props.onToggle(o.value)}>
          {o.label}
        </View>
      ))}
    </View>
  );
}

export function Agree(props: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; testid?: string }) {
  return (
    <View className='agree' data-testid={props.testid} onClick={() => props.onChange(!props.checked)}>
      <View className={`box${props.checked ? ' on' : ''}`}>{props.checked ? '✓' : ''}</View>
      <Text>{props.children}</Text>
    </View>
  );
}
