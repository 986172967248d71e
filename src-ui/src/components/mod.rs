pub mod actions;
pub mod badges;
pub mod sidebar;
pub mod status;
pub mod tenancy_picker;
