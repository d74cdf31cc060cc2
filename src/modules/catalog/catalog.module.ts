import { Module } from '@nestjs/common';
import { CatalogController } from './api/catalog.controller';
import { Catalog } from './domain/catalog';
import { loadCatalog } from './infrastructure/catalog-loader';

@Module({
  controllers: [CatalogController],
  providers: [{ provide: Catalog, useFactory: () => loadCatalog() }],
  exports: [Catalog],
})
export class CatalogModule {}
