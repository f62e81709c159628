/**
 * Where `introspect --drizzle` and `introspect --url` of the database a project's own
 * migrations build differ, after what is inherent to any drizzle schema is set aside
 * (`comparableSchema`: virtual foreign keys, constant casts, keyword case, …). Each list
 * is asserted exactly, and docs/drizzle.md explains every entry. A project not listed
 * has none (ai-chatbot, dittofeed and unkey on drizzle-orm 0.x).
 *
 * Keyed by fixture, or `fixture@1.x` when read with drizzle-orm 1.x.
 */
export const INHERENT_DIFFERENCES: Readonly<Record<string, readonly string[]>> = {
  // Two trigram indexes a hand-written migration (AddFuzzySearchSupport) adds; the module does not declare them.
  kan: ['added index public.board.boards_name_trgm_idx', 'added index public.card.cards_title_trgm_idx'],
  // drizzle-kit 1.x names keys as PostgreSQL does (`_pkey`, `_fkey`); the project's migrations were made by 0.x (`_pk`, `_fk`).
  'ai-chatbot@1.x': [
    'removed foreign key public.Chat.Chat_userId_User_id_fkey',
    'added foreign key public.Chat.Chat_userId_User_id_fk',
    'removed primary key public.Document.Document_pkey',
    'added primary key public.Document.Document_id_createdAt_pk',
    'removed foreign key public.Document.Document_userId_User_id_fkey',
    'added foreign key public.Document.Document_userId_User_id_fk',
    'removed foreign key public.Message.Message_chatId_Chat_id_fkey',
    'added foreign key public.Message.Message_chatId_Chat_id_fk',
    'removed foreign key public.Message_v2.Message_v2_chatId_Chat_id_fkey',
    'added foreign key public.Message_v2.Message_v2_chatId_Chat_id_fk',
    'removed primary key public.Stream.Stream_pkey',
    'added primary key public.Stream.Stream_id_pk',
    'removed foreign key public.Stream.Stream_chatId_Chat_id_fkey',
    'added foreign key public.Stream.Stream_chatId_Chat_id_fk',
    'removed primary key public.Suggestion.Suggestion_pkey',
    'added primary key public.Suggestion.Suggestion_id_pk',
    'removed foreign key public.Suggestion.Suggestion_0xmkr3D4oqj8_fkey',
    'removed foreign key public.Suggestion.Suggestion_userId_User_id_fkey',
    'added foreign key public.Suggestion.Suggestion_documentId_documentCreatedAt_Document_id_createdAt_f',
    'added foreign key public.Suggestion.Suggestion_userId_User_id_fk',
    'removed primary key public.Vote.Vote_pkey',
    'added primary key public.Vote.Vote_chatId_messageId_pk',
    'removed foreign key public.Vote.Vote_chatId_Chat_id_fkey',
    'removed foreign key public.Vote.Vote_messageId_Message_id_fkey',
    'added foreign key public.Vote.Vote_chatId_Chat_id_fk',
    'added foreign key public.Vote.Vote_messageId_Message_id_fk',
    'removed primary key public.Vote_v2.Vote_v2_pkey',
    'added primary key public.Vote_v2.Vote_v2_chatId_messageId_pk',
    'removed foreign key public.Vote_v2.Vote_v2_chatId_Chat_id_fkey',
    'removed foreign key public.Vote_v2.Vote_v2_messageId_Message_v2_id_fkey',
    'added foreign key public.Vote_v2.Vote_v2_chatId_Chat_id_fk',
    'added foreign key public.Vote_v2.Vote_v2_messageId_Message_v2_id_fk',
  ],
  // The module is a `drizzle-kit pull` of the legacy database made later than its migration:
  // pull lost every primary key; three columns were added to the database after the baseline;
  // one composite foreign key lists its columns in another order.
  evorto: [
    'added primary key public.ActivityLog.ActivityLog_pkey',
    'added primary key public.CollectedFee.CollectedFee_pkey',
    'added primary key public.CostItem.CostItem_pkey',
    'added primary key public.EventOrganizer.EventOrganizer_pkey',
    'added primary key public.EventRegistration.EventRegistration_pkey',
    'added primary key public.EventRegistrationCode.EventRegistrationCode_pkey',
    'added primary key public.EventSubmission.EventSubmission_pkey',
    'added primary key public.EventSubmissionItem.EventSubmissionItem_pkey',
    'added primary key public.EventTemplate.EventTemplate_pkey',
    'added primary key public.EventTemplateCategory.EventTemplateCategory_pkey',
    'added primary key public.LineItem.LineItem_pkey',
    'added primary key public.PhotoShare.PhotoShare_pkey',
    'added primary key public.Product.Product_pkey',
    'added primary key public.ProductImage.ProductImage_pkey',
    'added primary key public.Purchase.Purchase_pkey',
    'added primary key public.Receipt.Receipt_pkey',
    'added primary key public.ShoppingCart.ShoppingCart_pkey',
    'changed foreign key public.ShoppingCart.ShoppingCart_usersOfTenantsUserId_usersOfTenantsTenantId_fkey: columns ["usersOfTenantsUserId","usersOfTenantsTenantId"] → ["usersOfTenantsTenantId","usersOfTenantsUserId"]',
    'added primary key public.StripePayment.StripePayment_pkey',
    'added primary key public.StripeUserData.StripeUserData_pkey',
    'removed column public.Tenant.seoDescription',
    'removed column public.Tenant.seoTitle',
    'added primary key public.Tenant.Tenant_pkey',
    'added primary key public.Transaction.Transaction_pkey',
    'added primary key public.TumiEvent.TumiEvent_pkey',
    'removed column public.User.telegramUsername',
    'added primary key public.User.User_pkey',
    'added primary key public.UsersOfTenants.UsersOfTenants_pkey',
    'added primary key public._ReceiptToTransaction._ReceiptToTransaction_AB_pkey',
    'added primary key public._prisma_migrations._prisma_migrations_pkey',
  ],
};
