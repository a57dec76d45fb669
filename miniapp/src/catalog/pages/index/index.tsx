/**
 * Package browser: a region's packages with their items and yearly frequencies, as the policy
 * documents list them, and who pays what.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Picker } from '@tarojs/components';
import { packageCatalogResponseSchema, regionSummaryListSchema, type PackageCatalogResponse } from '@jiayi/shared/schemas/policy';
import { api, ApiError } from '../../../api/client';
import { yuanText } from '../../../components/money';
import './index.css';

type Pkg = PackageCatalogResponse['packages'][number];

export default function Catalog() {
  const initial = (Taro.getCurrentInstance().router?.params?.regionId as string | undefined) ?? 'liyang-2019';
  const [regions, setRegions] = useState<{ id: string; name: string }[]>([]);
  const [regionId, setRegionId] = useState(initial);
  const [catalog, setCatalog] = useState<PackageCatalogResponse | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api('GET', '/regions', { schema: regionSummaryListSchema })
      .then((r) => setRegions(r.regions.map((x) => ({ id: x.regionId, name: x.name }))))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    setCatalog(null);
    api('GET', `/regions/${regionId}/packages`, { schema: packageCatalogResponseSchema })
      .then(setCatalog)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, [regionId]);

  const regionIndex = Math.max(0, regions.findIndex((r) => r.id === regionId));

  return (
    <View className='catalog'>
      {regions.length > 0 && (
        <Picker mode='selector' range={regions.map((r) => r.name)} value={regionIndex} onChange={(e) => setRegionId(regions[Number(e.detail.value)]!.id)}>
          <View className='card region-picker'>
            地区：<Text className='strong'>{regions[regionIndex]?.name ?? regionId}</Text> <Text className='muted'>（点击切换）</Text>
          </View>
        </Picker>
      )}
      {error && <View className='card error-text'>{error}</View>}
      {!catalog && !error && <View className='card muted'>正在加载服务包…</View>}
      {catalog?.packages.map((p) => (
        <PackageCard key={p.code} pkg={p} open={open === p.code} onToggle={() => setOpen(open === p.code ? null : p.code)} />
      ))}
    </View>
  );
}

function PackageCard({ pkg, open, onToggle }: { pkg: Pkg; open: boolean; onToggle: () => void }) {
  return (
    <View className='card package' data-testid={`package-${pkg.code}`} onClick={onToggle}>
      <View className='package-head'>
        <View>
          <View className='card-title'>{pkg.name}</View>
          <View>
            <Text className='tag'>{pkg.categoryLabel}</Text>
            {pkg.tierLabel && <Text className='tag'>{pkg.tierLabel}</Text>}
            <Text className='muted'>{pkg.targetPopulation}</Text>
          </View>
        </View>
        <View className='price'>{pkg.priceText}</View>
      </View>
      {pkg.standardShares.length > 0 && (
        <View className='shares'>
          {pkg.standardShares.map((s) => (
            <Text key={s.payer} className='share'>
              {s.label} {yuanText(s.amountFen)}
            </Text>
          ))}
        </View>
      )}
      {open && (
        <View className='items'>
          {pkg.items.map((i) => {
            const freq = i.frequencyText ?? (i.yearlyQuantity ? `${i.yearlyQuantity}${i.unit}/年` : '按需');
            // Short frequencies sit on the right; the documents' longer wording goes below the name.
            return freq.length <= 8 ? (
              <View key={i.code} className='item'>
                <Text className='item-name'>{i.name}</Text>
                <Text className='item-freq'>{freq}</Text>
              </View>
            ) : (
              <View key={i.code} className='item item-long'>
                <Text className='item-name'>{i.name}</Text>
                <Text className='item-freq-long'>{freq}</Text>
              </View>
            );
          })}
          {pkg.notes.map((n) => (
            <View key={n} className='muted note'>
              {n}
            </View>
          ))}
        </View>
      )}
      <View className='muted toggle'>{open ? '收起服务项目' : `查看 ${pkg.items.length} 项服务内容`}</View>
    </View>
  );
}
