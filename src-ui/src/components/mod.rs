pub mod actions;
pub mod badges;
pub mod filters;
pub mod palette;
pub mod shortcuts;
pub mod sidebar;
pub mod status;
pub mod tenancy_picker;
