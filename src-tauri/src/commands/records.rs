//! The agency's records (properties, units, tenancies, contractors, landlords) and its
//! settings. The service refuses anyone but agency staff (settings: an admin).

use crate::state::AppState;
use plumbline_domain::api::{
    AgencyRules, CategoryInput, CategoryRecord, CommandError, ContractorDetails, ContractorProfile, LandlordRecord,
    LandlordRules, NewTenancy, PersonOption, PropertyDetail, PropertyInput, PropertyList, PropertySearch,
    SettingChange, SetupChecklist, TenancyUpdate,
};
use plumbline_domain::ids::{CategoryId, PropertyId};
use plumbline_domain::{Role, UserId, commands};
use tauri::State;

#[tauri::command]
pub async fn list_properties(state: State<'_, AppState>, search: PropertySearch) -> Result<PropertyList, CommandError> {
    state.run(commands::ListProperties { search }).await
}

#[tauri::command]
pub async fn get_property(state: State<'_, AppState>, id: PropertyId) -> Result<PropertyDetail, CommandError> {
    state.run(commands::GetProperty { id }).await
}

#[tauri::command]
pub async fn save_property(
    state: State<'_, AppState>,
    id: Option<PropertyId>,
    property: PropertyInput,
) -> Result<PropertyDetail, CommandError> {
    state.run(commands::SaveProperty { id, property }).await
}

#[tauri::command]
pub async fn set_property_archived(
    state: State<'_, AppState>,
    id: PropertyId,
    archived: bool,
) -> Result<PropertyDetail, CommandError> {
    state.run(commands::SetPropertyArchived { id, archived }).await
}

#[tauri::command]
pub async fn add_unit(
    state: State<'_, AppState>,
    property: PropertyId,
    label: String,
) -> Result<PropertyDetail, CommandError> {
    state.run(commands::AddUnit { property, label }).await
}

#[tauri::command]
pub async fn add_tenancy(state: State<'_, AppState>, tenancy: NewTenancy) -> Result<PropertyDetail, CommandError> {
    state.run(commands::AddTenancy { tenancy }).await
}

#[tauri::command]
pub async fn update_tenancy(
    state: State<'_, AppState>,
    tenancy: TenancyUpdate,
) -> Result<PropertyDetail, CommandError> {
    state.run(commands::UpdateTenancy { tenancy }).await
}

#[tauri::command]
pub async fn list_people(state: State<'_, AppState>, role: Role) -> Result<Vec<PersonOption>, CommandError> {
    state.run(commands::ListPeople { role }).await
}

#[tauri::command]
pub async fn list_contractors(state: State<'_, AppState>) -> Result<Vec<ContractorProfile>, CommandError> {
    state.run(commands::ListContractors {}).await
}

#[tauri::command]
pub async fn update_contractor(
    state: State<'_, AppState>,
    id: UserId,
    details: ContractorDetails,
) -> Result<ContractorProfile, CommandError> {
    state.run(commands::UpdateContractor { id, details }).await
}

#[tauri::command]
pub async fn list_landlords(state: State<'_, AppState>) -> Result<Vec<LandlordRecord>, CommandError> {
    state.run(commands::ListLandlords {}).await
}

#[tauri::command]
pub async fn set_landlord_rules(
    state: State<'_, AppState>,
    id: UserId,
    rules: LandlordRules,
) -> Result<LandlordRecord, CommandError> {
    state.run(commands::SetLandlordRules { id, rules }).await
}

#[tauri::command]
pub async fn setup_checklist(state: State<'_, AppState>) -> Result<SetupChecklist, CommandError> {
    state.run(commands::SetupChecklist {}).await
}

#[tauri::command]
pub async fn agency_rules(state: State<'_, AppState>) -> Result<AgencyRules, CommandError> {
    state.run(commands::AgencyRules {}).await
}

#[tauri::command]
pub async fn update_agency_rules(state: State<'_, AppState>, rules: AgencyRules) -> Result<AgencyRules, CommandError> {
    state.run(commands::UpdateAgencyRules { rules }).await
}

#[tauri::command]
pub async fn settings_history(state: State<'_, AppState>) -> Result<Vec<SettingChange>, CommandError> {
    state.run(commands::SettingsHistory {}).await
}

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> Result<Vec<CategoryRecord>, CommandError> {
    state.run(commands::ListCategories {}).await
}

#[tauri::command]
pub async fn save_category(
    state: State<'_, AppState>,
    id: Option<CategoryId>,
    category: CategoryInput,
) -> Result<Vec<CategoryRecord>, CommandError> {
    state.run(commands::SaveCategory { id, category }).await
}
